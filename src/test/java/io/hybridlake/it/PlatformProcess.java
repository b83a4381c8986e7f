package io.hybridlake.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.awaitility.Awaitility;

/** The packaged platform ({@code java -jar target/quarkus-app/quarkus-run.jar}) as a child process. */
public final class PlatformProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The function key the packaged platform is started with (API keys are on in production). */
    static final String API_KEY = "it-" + UUID.randomUUID();
    private final Process process;
    final int httpPort;

    private PlatformProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    public static PlatformProcess start(Path home, int httpPort, int brokerPort) throws IOException {
        return start(home, httpPort, brokerPort, List.of());
    }

    /** As above, with extra {@code -D} settings; returns once ready (every pipeline caught up). */
    public static PlatformProcess start(Path home, int httpPort, int brokerPort, List<String> settings) throws IOException {
        return start(home, httpPort, brokerPort, settings, "/q/health/ready");
    }

    /** Starts and returns once {@code healthPath} answers 200 (e.g. live only, for a platform that stays not ready). */
    public static PlatformProcess start(Path home, int httpPort, int brokerPort, List<String> settings, String healthPath)
            throws IOException {
        Process p = launch(home, httpPort, brokerPort, settings);
        PlatformProcess platform = new PlatformProcess(p, httpPort);
        Awaitility.await("platform ready on :" + httpPort).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the platform exited with " + p.exitValue() + "; see " + home.resolve("platform.log"));
                    }
                    return platform.get(healthPath).statusCode() == 200;
                });
        return platform;
    }

    /** Starts the packaged platform with extra {@code -D} settings; output goes to {@code home/platform.log}. */
    static Process launch(Path home, int httpPort, int brokerPort, List<String> extraSettings) throws IOException {
        String jar = System.getProperty("hybridlake.app.jar", "target/quarkus-app/quarkus-run.jar");
        String heap = System.getProperty("hybridlake.platform.heap", "1g");
        // as the README runs it: a fixed heap, touched at start (a growing heap's page faults were most of
        // the young pauses at 20k events/s, BENCHMARKS.md)
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:+ExitOnOutOfMemoryError",
                "-Dquarkus.http.port=" + httpPort,
                "-Dhybridlake.broker.port=" + brokerPort,
                "-Dhybridlake.lake.root=" + home.resolve("lake"),
                "-Dhybridlake.cache.path=" + home.resolve("data/speed-cache.mv"),
                "-Dhybridlake.broker.data-dir=" + home.resolve("data/kafka"),
                "-Dhybridlake.api.admin-keys=" + API_KEY,
                "-jar", jar));
        cmd.addAll(cmd.size() - 2, extraSettings);
        String extra = System.getProperty("hybridlake.platform.jvm-args", "").strip();
        if (!extra.matches(".*-XX:\\+Use\\w+GC.*")) {
            cmd.add(cmd.size() - 2, "-XX:+UseParallelGC"); // the collector the README runs with, unless one is asked for
        }
        if (!extra.isEmpty()) {
            cmd.addAll(cmd.size() - 2, List.of(extra.split("\\s+"))); // before -jar, e.g. a JFR recording
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("platform.log").toFile())).start();
    }

    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .header("x-functions-key", API_KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FailedResponse(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("content-type", contentType).header("x-functions-key", API_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A port nothing listens on now, for the platform's HTTP server or broker. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }

    /** SIGTERM and wait: a clean shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: no shutdown hooks, no flush, whatever was in flight. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A connection failure seen as a response with status -1, so readiness polling can keep going. */
    private record FailedResponse(IOException error) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return -1;
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return error.toString();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
