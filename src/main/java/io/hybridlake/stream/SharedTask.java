package io.hybridlake.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A task handed to a pool that the thread needing its result runs itself if no pool thread has started
 * it yet: the caller does the work instead of waiting for a busy pool, and a task runs exactly once.
 */
final class SharedTask<T> {
    private final Supplier<T> work;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<T> done = new CompletableFuture<>();

    private SharedTask(Supplier<T> work) {
        this.work = work;
    }

    static <T> SharedTask<T> submit(Supplier<T> work, Executor pool) {
        SharedTask<T> task = new SharedTask<>(work);
        pool.execute(task::runIfNotStarted);
        return task;
    }

    /** The result, computed here if no pool thread has started it, or its failure as thrown. */
    T result() {
        runIfNotStarted();
        return PollWork.join(done);
    }

    /** Waits until the task has run or will not (after a failure elsewhere: nothing runs on unseen). */
    void settle() {
        if (started.compareAndSet(false, true)) {
            done.cancel(false);
            return;
        }
        done.handle((ok, failed) -> null).join();
    }

    private void runIfNotStarted() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            done.complete(work.get());
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
        }
    }
}
