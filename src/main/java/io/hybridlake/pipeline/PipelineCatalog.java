package io.hybridlake.pipeline;

import io.hybridlake.HybridlakeException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The loaded pipelines, by table name and by source topic. */
public final class PipelineCatalog {
    // Replaced whole when a pipeline evolves (rare), so readers never lock.
    private volatile Map<String, PipelineSpec> byTable = new LinkedHashMap<>();
    private volatile Map<String, PipelineSpec> byTopic = new LinkedHashMap<>();
    private final String topicPrefix;

    public PipelineCatalog(Collection<PipelineSpec> specs, String topicPrefix) {
        this.topicPrefix = topicPrefix;
        for (PipelineSpec s : specs) {
            PipelineSpec previous = byTable.put(s.table(), s);
            if (previous != null) {
                throw new PipelineSpecException(s.sourceFile(), 1, "table", "table '" + s.table()
                        + "' is also defined in " + previous.sourceFile());
            }
            byTopic.put(topicOf(s), s);
        }
    }

    /** Publishes an evolved pipeline (same table and topic, more fields) to every later reader. */
    public synchronized void replace(PipelineSpec evolved) {
        if (!byTable.containsKey(evolved.table())) {
            throw new IllegalArgumentException("no pipeline named '" + evolved.table() + "' to replace");
        }
        Map<String, PipelineSpec> tables = new LinkedHashMap<>(byTable);
        tables.put(evolved.table(), evolved);
        Map<String, PipelineSpec> topics = new LinkedHashMap<>(byTopic);
        topics.put(topicOf(evolved), evolved);
        byTable = tables;
        byTopic = topics;
    }

    public String topicOf(PipelineSpec spec) {
        return spec.topic() != null ? spec.topic() : topicPrefix + spec.table();
    }

    public Collection<PipelineSpec> all() {
        return byTable.values();
    }

    public Optional<PipelineSpec> forTopic(String topic) {
        return Optional.ofNullable(byTopic.get(topic));
    }

    public PipelineSpec table(String table) {
        PipelineSpec s = byTable.get(table);
        if (s == null) {
            throw new HybridlakeException.NotFound(table, "no pipeline named '" + table + "'; known: " + byTable.keySet());
        }
        return s;
    }
}
