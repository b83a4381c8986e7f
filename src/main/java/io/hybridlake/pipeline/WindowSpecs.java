package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code windows:} of a pipeline: type, size, hop or session bounds, grouping and aggregates. */
final class WindowSpecs {
    private WindowSpecs() {
    }

    /** A window declaration of the pipeline, checked against its columns. */
    static WindowSpec window(YamlNode node, SpecColumns columns) {
        Map<String, YamlNode> m = node.map(Set.of("name", "type", "size", "hop", "timeout", "max_duration", "group_by",
                "aggregates"));
        String name = PipelineLoader.required(node, m, "name").string();
        YamlNode typeNode = m.get("type");
        WindowSpec.WindowType type = WindowSpec.WindowType.TUMBLING;
        if (typeNode != null) {
            try {
                type = WindowSpec.WindowType.valueOf(typeNode.string().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw typeNode.error("unknown window type '" + typeNode.string()
                        + "'; supported: tumbling, hopping, sliding, session");
            }
        }
        Duration timeout = null;
        Duration size;
        if (type == WindowSpec.WindowType.SESSION) {
            timeout = PipelineLoader.duration(PipelineLoader.required(node, m, "timeout"), false);
            YamlNode max = PipelineLoader.required(node, m, "max_duration");
            size = PipelineLoader.duration(max, false);
            if (size.compareTo(timeout) < 0) {
                throw max.error("max_duration " + max.string() + " is shorter than the timeout");
            }
            if (m.containsKey("size")) {
                throw m.get("size").error("a session window has timeout and max_duration, not size");
            }
        } else {
            size = PipelineLoader.duration(PipelineLoader.required(node, m, "size"), false);
            for (String k : List.of("timeout", "max_duration")) {
                if (m.containsKey(k)) {
                    throw m.get(k).error("'" + k + "' applies to session windows only");
                }
            }
        }
        Duration hop = size;
        if (type == WindowSpec.WindowType.HOPPING) {
            YamlNode hopNode = m.get("hop");
            if (hopNode == null) {
                throw node.error("a hopping window needs 'hop' (how far each window starts after the previous)");
            }
            hop = PipelineLoader.duration(hopNode, false);
            if (hop.compareTo(size) > 0) {
                throw hopNode.error("hop " + hopNode.string() + " is longer than the window size; events would fall"
                        + " between windows");
            }
            if (size.toNanos() / hop.toNanos() > 1000) {
                throw hopNode.error("size/hop is over 1000: each event would update more than 1000 windows");
            }
        } else if (m.containsKey("hop")) {
            throw m.get("hop").error("'hop' applies to hopping windows only; a tumbling window hops by its size");
        }
        List<String> groupBy = new ArrayList<>();
        for (YamlNode g : PipelineLoader.required(node, m, "group_by").list()) {
            groupBy.add(columns.column(g, null));
        }
        List<AggregateSpec> aggregates = aggregates(PipelineLoader.required(node, m, "aggregates"), columns);
        return new WindowSpec(name, type, size, hop, timeout, List.copyOf(groupBy), aggregates);
    }

    /** Aggregates of a window or a curated table, checked against the columns. */
    static List<AggregateSpec> aggregates(YamlNode node, SpecColumns columns) {
        List<AggregateSpec> aggregates = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode a : node.list()) {
            Map<String, YamlNode> am = a.map(Set.of("fn", "column", "as"));
            YamlNode fnNode = PipelineLoader.required(a, am, "fn");
            AggregateFunction fn;
            try {
                fn = AggregateFunction.valueOf(fnNode.string().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fnNode.error("unknown aggregate '" + fnNode.string()
                        + "'; use count, sum, min, max, avg or count_distinct");
            }
            String column = null;
            if (fn.needsColumn()) {
                YamlNode c = am.get("column");
                if (c == null) {
                    throw a.error(fn.name().toLowerCase() + " needs a column");
                }
                column = columns.column(c, null);
                ColumnType t = columns.types.get(column);
                if (fn.needsNumber() && t != ColumnType.INT && t != ColumnType.LONG && t != ColumnType.DOUBLE) {
                    throw c.error(fn.name().toLowerCase() + " needs a numeric column but '" + column + "' is a "
                            + t.name().toLowerCase());
                }
            }
            String as = am.containsKey("as") ? am.get("as").string()
                    : fn.name().toLowerCase() + (column == null ? "" : "_" + column);
            if (!names.add(as)) {
                throw a.error("duplicate aggregate name '" + as + "'");
            }
            aggregates.add(new AggregateSpec(fn, column, as));
        }
        return List.copyOf(aggregates);
    }
}
