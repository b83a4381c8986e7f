package io.hybridlake.pipeline;

import static io.hybridlake.pipeline.PipelineLoader.duration;
import static io.hybridlake.pipeline.PipelineLoader.required;

import io.hybridlake.lake.TablePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sections of a pipeline YAML that set a policy rather than the shape of the events: watermark,
 * dedup, curated tables, schema evolution and merge. Each error names the file, the line and the field.
 */
final class PolicySections {
    private PolicySections() {
    }

    static MergePolicy mergePolicy(YamlNode node) {
        Map<String, YamlNode> m = node.map(Set.of("mode", "purge_above"));
        MergePolicy.Mode mode = MergePolicy.DEFAULT.mode();
        if (m.containsKey("mode")) {
            YamlNode n = m.get("mode");
            mode = switch (n.string()) {
                case "merge-on-read" -> MergePolicy.Mode.MERGE_ON_READ;
                case "copy-on-write" -> MergePolicy.Mode.COPY_ON_WRITE;
                default -> throw n.error("unknown merge mode '" + n.string() + "'; use merge-on-read or copy-on-write");
            };
        }
        double purgeAbove = MergePolicy.DEFAULT.purgeAbove();
        if (m.containsKey("purge_above")) {
            YamlNode n = m.get("purge_above");
            purgeAbove = n.number();
            if (!(purgeAbove > 0 && purgeAbove <= 1)) {
                throw n.error("purge_above is the share of a file's rows deleted before compaction rewrites it: a "
                        + "number in (0, 1], not '" + n.string() + "'");
            }
        }
        return new MergePolicy(mode, purgeAbove);
    }

    static SchemaPolicy schemaPolicy(YamlNode node) {
        Map<String, YamlNode> m = node.map(Set.of("evolution", "max_added_columns"));
        YamlNode evolution = required(node, m, "evolution");
        boolean addColumns = switch (evolution.string()) {
            case "add-columns" -> true;
            case "none" -> false;
            default -> throw evolution.error("unknown schema evolution '" + evolution.string()
                    + "'; use add-columns or none");
        };
        int max = SchemaPolicy.DEFAULT_MAX_ADDED_COLUMNS;
        if (m.containsKey("max_added_columns")) {
            YamlNode n = m.get("max_added_columns");
            try {
                max = Integer.parseInt(n.string());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 0) {
                throw n.error("max_added_columns must be a whole number >= 0, not '" + n.string() + "'");
            }
        }
        return new SchemaPolicy(addColumns, addColumns ? max : 0);
    }

    static CuratedSpec curated(YamlNode node, SpecColumns columns, List<String> partitionBy) {
        Map<String, YamlNode> m = node.map(Set.of("name", "group_by", "aggregates"));
        YamlNode nameNode = required(node, m, "name");
        try {
            TablePath.requireValidName(nameNode.string());
        } catch (RuntimeException e) {
            throw nameNode.error(e.getMessage());
        }
        YamlNode groupNode = required(node, m, "group_by");
        List<String> groupBy = new ArrayList<>();
        for (YamlNode g : groupNode.list()) {
            groupBy.add(columns.column(g, null));
        }
        if (!partitionBy.isEmpty() && !groupBy.contains(partitionBy.get(0))) {
            throw groupNode.error("a curated table is recomputed per partition: group_by must include the pipeline's"
                    + " partition column '" + partitionBy.get(0) + "'");
        }
        List<AggregateSpec> aggregates = WindowSpecs.aggregates(required(node, m, "aggregates"), columns);
        for (AggregateSpec a : aggregates) {
            if (a.fn() == AggregateFunction.COUNT_DISTINCT || groupBy.contains(a.as())) {
                throw node.error("aggregate '" + a.as() + "': curated tables support count, sum, min, max and avg"
                        + " with names distinct from the group_by columns");
            }
        }
        return new CuratedSpec(nameNode.string(), List.copyOf(groupBy), aggregates);
    }

    static EventTimePolicy timing(YamlNode node, SourceFormat format) {
        Map<String, YamlNode> m = node.map(Set.of("out_of_order", "allowed_lateness"));
        EventTimePolicy defaults = format == SourceFormat.DEBEZIUM ? EventTimePolicy.NEVER_LATE
                : EventTimePolicy.STREAM_ANALYTICS_DEFAULTS;
        Duration outOfOrder = m.containsKey("out_of_order") ? duration(m.get("out_of_order"), true)
                : defaults.outOfOrder();
        Duration lateness = defaults.allowedLateness();
        if (m.containsKey("allowed_lateness")) {
            YamlNode l = m.get("allowed_lateness");
            lateness = l.string().equalsIgnoreCase("unbounded") ? null : duration(l, true);
        }
        return new EventTimePolicy(outOfOrder, lateness);
    }

    static DedupSpec dedup(YamlNode node, SpecColumns columns, String key, EventTimePolicy timing) {
        Map<String, YamlNode> m = node.map(Set.of("column", "horizon"));
        String column = m.containsKey("column") ? columns.column(m.get("column"), null) : key;
        Duration horizon;
        if (m.containsKey("horizon")) {
            horizon = duration(m.get("horizon"), false);
            if (timing.allowedLateness() != null && horizon.compareTo(timing.allowedLateness()) < 0) {
                throw m.get("horizon").error("the dedup horizon " + m.get("horizon").string() + " is shorter than the"
                        + " allowed lateness " + timing.allowedLateness() + ": a duplicate could arrive after its"
                        + " first occurrence is forgotten and still be on time");
            }
        } else if (timing.allowedLateness() == null) {
            throw node.error("dedup needs an explicit 'horizon' when allowed_lateness is unbounded");
        } else {
            Duration hour = Duration.ofHours(1);
            horizon = timing.allowedLateness().compareTo(hour) > 0 ? timing.allowedLateness() : hour;
        }
        return new DedupSpec(column, horizon);
    }
}
