package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.pipeline.PipelineLoader;
import io.hybridlake.pipeline.PipelineSpec;
import io.hybridlake.runtime.HybridlakeConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline YAML files are the source of truth; every other place that names the shipped pipelines
 * agrees with them: the Functions host's {@code functions/StreamEvents_<pipeline>/function.json}
 * (trigger on the pipeline's topic), the Bicep's {@code pipelines} (one event hub and consumer group
 * each, named {@code hybridlake.<pipeline>}), the JVM functions' {@code StreamEvents_<pipeline>}, and the
 * built-in pipeline list of the configuration. Shown failing on a copy with a pipeline added and a
 * function folder removed.
 */
class PipelinesAreDeclaredOnEveryHostTest {
    private static final Path PIPELINES = Path.of("src/main/resources/pipelines");
    private static final Path FUNCTIONS = Path.of("functions");
    private static final Path BICEP = Path.of("infra/bicep/main.bicep");
    private static final Path JVM_FUNCTIONS = Path.of("src/jvm-functions/java/io/hybridlake/triggers/azure/JvmStreamFunctions.java");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path copy;

    @Test
    void everyHostDeclaresExactlyThePipelinesOfTheYamlFiles() throws Exception {
        assertThat(topics(PIPELINES)).isNotEmpty();
        assertThat(drift(PIPELINES, FUNCTIONS, BICEP, JVM_FUNCTIONS, builtinDefault())).isEmpty();
    }

    @Test
    void aPipelineAddedInOnePlaceOnlyIsReported() throws Exception {
        Path pipelines = Files.createDirectories(copy.resolve("pipelines"));
        for (Path yaml : yamlFiles(PIPELINES)) {
            Files.copy(yaml, pipelines.resolve(yaml.getFileName()));
        }
        Files.writeString(pipelines.resolve("orders.yaml"),
                Files.readString(PIPELINES.resolve("transactions.yaml")).replace("table: transactions", "table: orders"));
        Path functions = copy.resolve("functions");
        try (Stream<Path> files = Files.walk(FUNCTIONS)) {
            for (Path f : files.toList()) {
                Files.copy(f, functions.resolve(FUNCTIONS.relativize(f).toString()));
            }
        }
        Files.delete(functions.resolve("StreamEvents_user_events/function.json"));
        Files.delete(functions.resolve("StreamEvents_user_events"));

        List<String> drift = drift(pipelines, functions, BICEP, JVM_FUNCTIONS, builtinDefault());
        assertThat(drift).anyMatch(d -> d.contains("functions/StreamEvents_orders"))
                .anyMatch(d -> d.contains("functions/StreamEvents_user_events"))
                .anyMatch(d -> d.contains("main.bicep") && d.contains("orders"))
                .anyMatch(d -> d.contains("JvmStreamFunctions") && d.contains("orders"))
                .anyMatch(d -> d.contains("hybridlake.pipelines.builtin") && d.contains("orders"));
    }

    /** What differs between the pipelines of {@code pipelines} and each host's declarations. */
    static List<String> drift(Path pipelines, Path functions, Path bicep, Path jvmFunctions, List<String> builtin)
            throws IOException {
        Map<String, String> topics = topics(pipelines);
        List<String> out = new ArrayList<>();
        Map<String, String> hostTopics = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(functions)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("StreamEvents_")).toList()) {
                JsonNode binding = JSON.readTree(dir.resolve("function.json").toFile()).path("bindings").path(0);
                hostTopics.put(dir.getFileName().toString().substring("StreamEvents_".length()),
                        binding.path("eventHubName").asText());
            }
        }
        compare(out, "functions/StreamEvents_%s/function.json (Functions host)", topics, hostTopics);
        Matcher jvm = Pattern.compile("@FunctionName\\(\"StreamEvents_(\\w+)\"\\).*?eventHubName = \"([^\"]+)\"", Pattern.DOTALL)
                .matcher(Files.readString(jvmFunctions));
        Map<String, String> jvmTopics = new TreeMap<>();
        while (jvm.find()) {
            jvmTopics.put(jvm.group(1), jvm.group(2));
        }
        compare(out, "JvmStreamFunctions: function StreamEvents_%s", topics, jvmTopics);
        Matcher list = Pattern.compile("param pipelines array = \\[([^]]*)]").matcher(Files.readString(bicep));
        Map<String, String> bicepTopics = new TreeMap<>();
        if (list.find()) {
            for (String name : list.group(1).replace("'", " ").trim().split("\\s+")) {
                bicepTopics.put(name, "hybridlake." + name); // the Bicep names each hub hybridlake.<pipeline>
            }
        }
        compare(out, bicep + ": param pipelines (event hub and consumer group of %s)", topics, bicepTopics);
        if (!new TreeSet<>(builtin).equals(topics.keySet())) {
            out.add("hybridlake.pipelines.builtin defaults to " + builtin + ", the pipeline files define " + topics.keySet());
        }
        return out;
    }

    private static void compare(List<String> out, String where, Map<String, String> expected, Map<String, String> found) {
        expected.forEach((pipeline, topic) -> {
            if (!found.containsKey(pipeline)) {
                out.add(String.format(where, pipeline) + ": missing for pipeline " + pipeline);
            } else if (!found.get(pipeline).equals(topic)) {
                out.add(String.format(where, pipeline) + ": reads " + found.get(pipeline) + ", the pipeline's topic is " + topic);
            }
        });
        found.keySet().stream().filter(p -> !expected.containsKey(p))
                .forEach(p -> out.add(String.format(where, p) + ": declared, but no pipeline file defines " + p));
    }

    /** Pipeline name → its topic, from the YAML files. */
    private static Map<String, String> topics(Path pipelines) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path yaml : yamlFiles(pipelines)) {
            PipelineSpec spec = PipelineLoader.load(yaml.getFileName().toString(), new StringReader(Files.readString(yaml)));
            out.put(spec.table(), spec.topic() == null ? "hybridlake." + spec.table() : spec.topic());
        }
        return out;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> builtinDefault() throws NoSuchMethodException {
        String value = HybridlakeConfig.Pipelines.class.getMethod("builtin").getAnnotation(WithDefault.class).value();
        return Arrays.stream(value.split(",")).map(String::strip).toList();
    }
}
