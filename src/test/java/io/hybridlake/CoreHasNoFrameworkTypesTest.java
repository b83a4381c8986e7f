package io.hybridlake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The architecture's two rules, checked on the source: a framework-free core, one kernel adapter. */
class CoreHasNoFrameworkTypesTest {
    private static final Path SRC = Path.of("src/main/java/io/hybridlake");
    private static final List<String> CORE = List.of("pipeline", "lake", "stream", "serving");
    /** Cloud adapters of the core's ports (storage, speed cache): the only places Azure SDK types live. */
    private static final List<String> ADAPTERS = List.of("lake/azure", "serving/cosmos");
    private static final List<String> FRAMEWORKS = List.of("import io.quarkus", "import jakarta.", "import io.smallrye",
            "import io.vertx", "import org.apache.kafka", "import com.azure", "import org.eclipse.microprofile");

    @Test
    void corePackagesImportNoFrameworkBrokerOrCloudTypes() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String pkg : CORE) {
            for (Path file : javaFiles(SRC.resolve(pkg))) {
                if (ADAPTERS.stream().anyMatch(a -> file.startsWith(SRC.resolve(a)))) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    if (FRAMEWORKS.stream().anyMatch(line::startsWith)) {
                        offences.add(file + ": " + line);
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theCloudAdaptersUseOnlyTheCoresPortsAndTheirSdk() throws IOException {
        List<String> offences = new ArrayList<>();
        for (String adapter : ADAPTERS) {
            for (Path file : javaFiles(SRC.resolve(adapter))) {
                for (String line : Files.readAllLines(file)) {
                    if (FRAMEWORKS.stream().filter(f -> !f.equals("import com.azure")).anyMatch(line::startsWith)) {
                        offences.add(file + ": " + line);
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void onlyTheLakePackageImportsDeltaKernel() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : javaFiles(SRC)) {
            if (file.startsWith(SRC.resolve("lake"))) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("import io.delta")) {
                    offences.add(file + ": " + line);
                }
            }
        }
        assertThat(offences).isEmpty();
        assertThat(javaFiles(SRC.resolve("lake"))).isNotEmpty();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
