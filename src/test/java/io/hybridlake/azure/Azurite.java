package io.hybridlake.azure;

import io.hybridlake.it.PlatformProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Azurite's Blob service (npm {@code azurite}, installed into {@code emulators/} by the build) as a
 * child process on a free port, shared by the tests of one JVM and stopped when it exits. In memory;
 * {@code --skipApiVersionCheck} because the SDK speaks a newer service version than Azurite knows.
 */
public final class Azurite {
    static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Path BIN = Path.of("emulators/node_modules/.bin/azurite-blob");
    private static Azurite shared;
    private final Process process;
    private final int port;

    private Azurite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether the build installed it (npm present). */
    public static boolean installed() {
        return Files.isExecutable(BIN);
    }

    public static synchronized Azurite shared() throws IOException {
        if (shared == null) {
            int port = PlatformProcess.freePort();
            Path log = Files.createDirectories(Path.of("target/emulators")).resolve("azurite-" + port + ".log");
            Process p = EmulatorProcess.start("Azurite", List.of(BIN.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                    String.valueOf(port), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                    "--loose"), port, log);
            shared = new Azurite(p, port);
        }
        return shared;
    }

    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint="
                + blobEndpoint() + ";";
    }

    /** A lake root in a file system of its own. */
    public static String root(String fileSystem) {
        return "abfss://" + fileSystem + "@" + ACCOUNT + ".dfs.core.windows.net/";
    }

    boolean alive() {
        return process.isAlive();
    }
}
