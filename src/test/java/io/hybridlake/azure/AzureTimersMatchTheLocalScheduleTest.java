package io.hybridlake.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.triggers.BatchSchedules;
import io.hybridlake.triggers.CustomHandlerTimers;
import io.quarkus.funqy.Funq;
import io.quarkus.scheduler.Scheduled;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job the local platform schedules ({@code BatchSchedules}, {@code hybridlake.batch.<job>-every})
 * has its timer on Azure too: {@code functions/<Job>Timer/function.json} (native custom handler) with
 * schedule {@code %<JOB>_SCHEDULE%}, that setting made by the Bicep, a JVM function of the same name, and
 * the custom handler serving it. The check is shown failing on a copy with one timer removed.
 */
class AzureTimersMatchTheLocalScheduleTest {
    private static final Pattern EVERY = Pattern.compile("hybridlake\\.batch\\.([a-z-]+)-every");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyLocalJobHasAnAzureTimer() throws Exception {
        assertThat(localJobs()).containsExactlyInAnyOrder("landing-scan", "merge", "compact", "vacuum");
        assertThat(problems(Path.of("functions"), Path.of("infra/bicep/modules/functionapp.bicep"),
                Path.of("src/jvm-functions/java/io/hybridlake/triggers/azure/JvmTimerFunctions.java"))).isEmpty();
    }

    @Test
    void theCheckFailsWhenATimerIsMissing() throws Exception {
        Path functions = Files.createDirectories(dir.resolve("functions"));
        try (var names = Files.list(Path.of("functions"))) {
            for (Path f : names.filter(Files::isDirectory).toList()) {
                if (!f.getFileName().toString().equals("VacuumTimer")) {
                    Files.createDirectories(functions.resolve(f.getFileName()));
                    Files.copy(f.resolve("function.json"), functions.resolve(f.getFileName()).resolve("function.json"));
                }
            }
        }
        Path bicep = Files.writeString(dir.resolve("functionapp.bicep"), Files.readString(
                Path.of("infra/bicep/modules/functionapp.bicep")).replace("'COMPACT_SCHEDULE'", "'COMPACT_SCHEDULE_X'"));
        Path jvm = Files.writeString(dir.resolve("JvmTimerFunctions.java"), Files.readString(
                Path.of("src/jvm-functions/java/io/hybridlake/triggers/azure/JvmTimerFunctions.java"))
                .replace("\"LandingScanTimer\"", "\"LandingTimer\""));
        assertThat(problems(functions, bicep, jvm)).hasSize(3)
                .anyMatch(p -> p.contains("functions/VacuumTimer"))
                .anyMatch(p -> p.contains("COMPACT_SCHEDULE") && p.contains("Bicep"))
                .anyMatch(p -> p.contains("LandingScanTimer") && p.contains("JVM"));
    }

    /** The jobs {@code BatchSchedules} runs, by their setting's name. */
    static List<String> localJobs() {
        List<String> jobs = new ArrayList<>();
        for (Method m : BatchSchedules.class.getDeclaredMethods()) {
            Scheduled s = m.getAnnotation(Scheduled.class);
            if (s != null) {
                Matcher every = EVERY.matcher(s.every());
                assertThat(every.find()).as("%s is scheduled by a hybridlake.batch.<job>-every setting", m).isTrue();
                jobs.add(every.group(1));
            }
        }
        return jobs;
    }

    /** What the Azure side lacks for the local jobs; empty when every job has its timer everywhere. */
    static List<String> problems(Path functions, Path bicep, Path jvmFunctions) throws IOException {
        String bicepText = Files.readString(bicep);
        String jvmText = Files.readString(jvmFunctions);
        Set<String> served = Arrays.stream(CustomHandlerTimers.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Funq.class)).map(m -> m.getAnnotation(Funq.class).value())
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (String job : localJobs()) {
            String name = Arrays.stream(job.split("-")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                    .collect(Collectors.joining()) + "Timer";
            String setting = job.toUpperCase(Locale.ROOT).replace('-', '_') + "_SCHEDULE";
            Path json = functions.resolve(name).resolve("function.json");
            if (!Files.exists(json)) {
                problems.add("no functions/" + name + "/function.json for local job " + job);
            } else {
                JsonNode binding = JSON.readTree(json.toFile()).path("bindings").path(0);
                if (!binding.path("type").asText().equals("timerTrigger")
                        || !binding.path("schedule").asText().equals("%" + setting + "%")) {
                    problems.add("functions/" + name + " is not a timer on %" + setting + "%");
                }
            }
            if (!bicepText.contains("'" + setting + "'")) {
                problems.add("the Bicep makes no app setting " + setting + " for " + name);
            }
            if (!jvmText.contains("@FunctionName(\"" + name + "\")") || !jvmText.contains("%" + setting + "%")) {
                problems.add("no JVM function " + name + " on %" + setting + "%");
            }
            if (!served.contains(name)) {
                problems.add("the custom handler does not serve " + name);
            }
        }
        return problems;
    }
}
