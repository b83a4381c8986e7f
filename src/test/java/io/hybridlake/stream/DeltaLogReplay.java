package io.hybridlake.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Replays a table's {@code _delta_log} commit files by hand (Jackson only, no Delta library): an independent reader. */
public final class DeltaLogReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeltaLogReplay() {
    }

    /** The table state the log describes: live files with their partition values, and txn versions. */
    public record LogState(Map<String, Map<String, String>> files, Map<String, Long> txns, JsonNode metadata, JsonNode protocol) {
    }

    public static LogState replay(Path table) throws IOException {
        Map<String, Map<String, String>> files = new LinkedHashMap<>();
        Map<String, Long> txns = new HashMap<>();
        JsonNode metadata = null;
        JsonNode protocol = null;
        List<Path> commits;
        try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
            commits = log.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList();
        }
        for (Path commit : commits) {
            for (String line : Files.readAllLines(commit)) {
                JsonNode action = JSON.readTree(line);
                if (action.has("add")) {
                    Map<String, String> pv = new HashMap<>();
                    action.get("add").get("partitionValues").fields().forEachRemaining(e -> pv.put(e.getKey(), e.getValue().asText()));
                    files.put(action.get("add").get("path").asText(), pv);
                } else if (action.has("remove")) {
                    files.remove(action.get("remove").get("path").asText());
                } else if (action.has("txn")) {
                    txns.put(action.get("txn").get("appId").asText(), action.get("txn").get("version").asLong());
                } else if (action.has("metaData")) {
                    metadata = action.get("metaData");
                } else if (action.has("protocol")) {
                    protocol = action.get("protocol");
                }
            }
        }
        return new LogState(files, txns, metadata, protocol);
    }

}
