package io.hybridlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyIsKeptPrivateAndReused() throws Exception {
        Path file = dir.resolve("data/api-key");
        ApiKeys first = ApiKeys.fromFile(file);
        String key = Files.readString(file).strip();
        assertThat(key).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.accepts(key)).isTrue();
        assertThat(ApiKeys.fromFile(file).accepts(key)).as("the same key after a restart").isTrue();
        assertThat(first.accepts(key + "x")).isFalse();
        assertThat(first.accepts("")).isFalse();
        assertThat(first.accepts(null)).isFalse();
    }

    @Test
    void anyConfiguredKeyIsAccepted() {
        ApiKeys keys = ApiKeys.of(List.of("alpha", " beta ", ""));
        assertThat(keys.accepts("alpha")).isTrue();
        assertThat(keys.accepts("beta")).isTrue();
        assertThat(keys.accepts("gamma")).isFalse();
    }
}
