package io.hybridlake.runtime;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A process that ran out of memory must not limp on (the broker's and the consumers' threads may be
 * dead while health still says UP), and a shutdown must not hang: either way the JVM halts, and the
 * restart resumes from the lake exactly. Complements {@code -XX:+ExitOnOutOfMemoryError} (in the run
 * command, the ITs and the Functions app settings) for threads whose OutOfMemoryError reaches the top.
 */
@ApplicationScoped
public class FatalErrors {
    private static final Logger LOG = Logger.getLogger(FatalErrors.class);
    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    @Inject
    HybridlakeConfig config;

    void install(@Observes @Priority(1) StartupEvent event) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof VirtualMachineError) {
                halt(3, "thread " + thread.getName() + " died of " + error);
            } else if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                LOG.errorf(error, "thread %s died", thread.getName());
            }
        });
    }

    /**
     * When the JVM itself shuts down (SIGTERM, exit), the clock starts: past {@code hybridlake.shutdown.max-wait}
     * the JVM halts. Only for the JVM's exit: an application stopped inside a living JVM (tests) is left alone.
     */
    void watch(@Observes @Priority(2) StartupEvent event) {
        long maxWait = config.shutdown().maxWait().toMillis();
        if (!WATCHING.compareAndSet(false, true)) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(maxWait); // a deadline, not synchronisation: a normal exit ends this daemon first
                    halt(4, "shutdown took longer than " + maxWait + " ms (hybridlake.shutdown.max-wait)");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "hybridlake-shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }, "hybridlake-shutdown-clock"));
    }

    static void halt(int status, String why) {
        System.err.println("hybridlake: halting: " + why + "; a restart resumes from the lake");
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
