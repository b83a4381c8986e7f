package io.hybridlake.batch;

import io.hybridlake.it.PlatformProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from Debian's packages ({@code postgresql}), started by the test in a
 * temporary directory on a free loopback port, with trust authentication. PostgreSQL refuses to run
 * as root, so as root the server runs as the {@code postgres} user the package creates. {@code .ci/run}
 * installs the package when it is missing.
 */
final class LocalPostgres implements AutoCloseable {
    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path bin, Path data, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The server binaries' directory, if PostgreSQL is installed. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Path::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static LocalPostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory("hybridlake-pg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = home.resolve("data");
        if (root) {
            run(List.of("chown", "postgres", home.toString()), false);
        }
        LocalPostgres pg = new LocalPostgres(bin, data, PlatformProcess.freePort(), root);
        pg.pg("initdb", "-D", data.toString(), "-U", "hybridlake", "--auth=trust", "-E", "UTF8", "--no-sync");
        pg.pg("pg_ctl", "-D", data.toString(), "-w", "-l", home.resolve("server.log").toString(), "-o",
                "-p " + pg.port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return pg;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void pg(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.resolve(tool).toString()));
        command.addAll(List.of(args));
        run(command, asPostgresUser);
    }

    private static void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed:\n" + out);
        }
    }

    @Override
    public void close() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "stop");
    }
}
