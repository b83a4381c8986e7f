package io.hybridlake.azure;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** An emulator run as a child process until the test JVM exits; ready once its port accepts connections. */
final class EmulatorProcess {
    private EmulatorProcess() {
    }

    static Process start(String what, List<String> command, int port, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await(what + " listening on " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(what + " exited: see " + log);
                    }
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p;
    }
}
