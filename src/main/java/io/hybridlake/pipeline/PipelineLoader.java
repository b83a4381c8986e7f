package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.expr.Expr;
import io.hybridlake.pipeline.expr.ExprException;
import io.hybridlake.pipeline.expr.Parser;
import io.hybridlake.pipeline.expr.Scope;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads and validates one pipeline YAML. Every error names the file, the line and the field. */
public final class PipelineLoader {
    private static final Set<String> TOP = Set.of("table", "description", "source", "fields", "key", "event_time",
            "partition_by", "cluster_by", "rules", "derived", "filters", "windows", "watermark", "dedup", "curated", "schema", "merge");

    private PipelineLoader() {
    }

    public static PipelineSpec load(String file, Reader yaml) {
        StringBuilder text = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = yaml.read(buf)) >= 0; ) {
                text.append(buf, 0, n);
            }
        } catch (IOException e) {
            throw new PipelineSpecException(file, 0, "(file)", "cannot read: " + e.getMessage());
        }
        return load(file, text.toString(), List.of());
    }

    /**
     * Compiles a pipeline's YAML with fields added by schema evolution after its declared fields (a
     * field the YAML now declares itself is taken from the YAML).
     */
    static PipelineSpec load(String file, String yaml, List<FieldSpec> addedFields) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PipelineSpecException(file, line, "(yaml)", e.getProblem());
        }
        if (root == null) {
            throw new PipelineSpecException(file, 1, "(document)", "the file is empty");
        }
        YamlNode doc = new YamlNode(file, "", root);
        Map<String, YamlNode> top = doc.map(TOP);
        YamlNode tableNode = required(doc, top, "table");
        String table = tableNode.string();
        try {
            TablePath.requireValidName(table);
        } catch (RuntimeException e) {
            throw tableNode.error(e.getMessage());
        }
        String topic = null;
        SourceFormat format = SourceFormat.JSON;
        if (top.containsKey("source")) {
            Map<String, YamlNode> source = top.get("source").map(Set.of("topic", "format"));
            topic = source.containsKey("topic") ? source.get("topic").string() : null;
            if (source.containsKey("format")) {
                format = format(source.get("format"));
            }
        }
        List<FieldSpec> fields = new ArrayList<>(fields(required(doc, top, "fields")));
        Set<String> declared = new LinkedHashSet<>(fields.stream().map(FieldSpec::name).toList());
        List<FieldSpec> added = addedFields.stream().filter(f -> !declared.contains(f.name())).toList();
        fields.addAll(added);
        if (format == SourceFormat.DEBEZIUM) {
            fields.addAll(SystemFields.CHANGE);
        }
        fields.addAll(SystemFields.SOURCE);
        Columns columns = new Columns(fields);
        String key = column(required(doc, top, "key"), columns, null);
        YamlNode eventTimeNode = required(doc, top, "event_time");
        String eventTime = column(eventTimeNode, columns, ColumnType.TIMESTAMP);
        ValidationRules rules = top.containsKey("rules") ? rules(top.get("rules"), columns) : emptyRules();
        List<DerivedColumn> derived = top.containsKey("derived") ? derived(top.get("derived"), columns) : List.of();
        List<FilterRule> filters = new ArrayList<>();
        if (top.containsKey("filters")) {
            for (YamlNode f : top.get("filters").list()) {
                filters.add(new FilterRule(f.string(), expression(f, columns, ColumnType.BOOLEAN)));
            }
        }
        List<String> partitionBy = new ArrayList<>();
        if (top.containsKey("partition_by")) {
            for (YamlNode p : top.get("partition_by").list()) {
                partitionBy.add(column(p, columns, null));
            }
        }
        List<String> clusterBy = new ArrayList<>();
        if (top.containsKey("cluster_by")) {
            for (YamlNode c : top.get("cluster_by").list()) {
                clusterBy.add(column(c, columns, null));
            }
        }
        List<WindowSpec> windows = new ArrayList<>();
        if (top.containsKey("windows")) {
            Set<String> names = new LinkedHashSet<>();
            for (YamlNode w : top.get("windows").list()) {
                WindowSpec spec = window(w, columns);
                if (!names.add(spec.name())) {
                    throw w.error("duplicate window name '" + spec.name() + "'");
                }
                windows.add(spec);
            }
        }
        String description = top.containsKey("description") ? top.get("description").string() : "";
        EventTimePolicy timing = top.containsKey("watermark") ? timing(top.get("watermark"), format)
                : format == SourceFormat.DEBEZIUM ? EventTimePolicy.NEVER_LATE : EventTimePolicy.STREAM_ANALYTICS_DEFAULTS;
        DedupSpec dedup = top.containsKey("dedup") ? dedup(top.get("dedup"), columns, key, timing) : null;
        List<CuratedSpec> curated = new ArrayList<>();
        if (top.containsKey("curated")) {
            for (YamlNode c : top.get("curated").list()) {
                curated.add(curated(c, columns, partitionBy));
            }
        }
        SchemaPolicy schemaPolicy = top.containsKey("schema") ? schemaPolicy(top.get("schema")) : SchemaPolicy.FIXED;
        MergePolicy merge = top.containsKey("merge") ? mergePolicy(top.get("merge")) : MergePolicy.DEFAULT;
        return new PipelineSpec(table, description, file, topic, format, List.copyOf(fields), key, eventTime,
                partitionBy, List.copyOf(clusterBy), rules, derived, List.copyOf(filters), windows, timing, dedup,
                List.copyOf(curated), schemaPolicy, merge, added, yaml);
    }

    private static MergePolicy mergePolicy(YamlNode node) {
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

    private static SchemaPolicy schemaPolicy(YamlNode node) {
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

    private static CuratedSpec curated(YamlNode node, Columns columns, List<String> partitionBy) {
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
            groupBy.add(column(g, columns, null));
        }
        if (!partitionBy.isEmpty() && !groupBy.contains(partitionBy.get(0))) {
            throw groupNode.error("a curated table is recomputed per partition: group_by must include the pipeline's"
                    + " partition column '" + partitionBy.get(0) + "'");
        }
        List<AggregateSpec> aggregates = aggregates(required(node, m, "aggregates"), columns);
        for (AggregateSpec a : aggregates) {
            if (a.fn() == AggregateFunction.COUNT_DISTINCT || groupBy.contains(a.as())) {
                throw node.error("aggregate '" + a.as() + "': curated tables support count, sum, min, max and avg"
                        + " with names distinct from the group_by columns");
            }
        }
        return new CuratedSpec(nameNode.string(), List.copyOf(groupBy), aggregates);
    }

    private static SourceFormat format(YamlNode node) {
        try {
            return SourceFormat.valueOf(node.string().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw node.error("unknown source format '" + node.string() + "'; use json or debezium");
        }
    }

    private static EventTimePolicy timing(YamlNode node, SourceFormat format) {
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

    private static DedupSpec dedup(YamlNode node, Columns columns, String key, EventTimePolicy timing) {
        Map<String, YamlNode> m = node.map(Set.of("column", "horizon"));
        String column = m.containsKey("column") ? column(m.get("column"), columns, null) : key;
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

    private static ValidationRules emptyRules() {
        return new ValidationRules(List.of(), Map.of(), Map.of());
    }

    private static YamlNode required(YamlNode parent, Map<String, YamlNode> map, String key) {
        YamlNode n = map.get(key);
        if (n == null) {
            throw new PipelineSpecException(parent.file, parent.line(), parent.path.isEmpty() ? key : parent.path,
                    "required key '" + key + "' is missing");
        }
        return n;
    }

    /** Names and types visible to expressions: fields, then derived columns as they are declared. */
    private static final class Columns implements Scope {
        final Map<String, ColumnType> types = new LinkedHashMap<>();

        Columns(List<FieldSpec> fields) {
            fields.forEach(f -> types.put(f.name(), f.type()));
        }

        @Override
        public int indexOf(String column) {
            int i = 0;
            for (String name : types.keySet()) {
                if (name.equals(column)) {
                    return i;
                }
                i++;
            }
            return -1;
        }

        @Override
        public ColumnType typeOf(int index) {
            return new ArrayList<>(types.values()).get(index);
        }
    }

    private static List<FieldSpec> fields(YamlNode node) {
        List<FieldSpec> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (YamlNode f : node.list()) {
            Map<String, YamlNode> m = f.map(Set.of("name", "type", "nullable"));
            YamlNode nameNode = required(f, m, "name");
            String name = nameNode.string();
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw nameNode.error("field name '" + name + "' must be lower-case letters, digits and _");
            }
            if (!seen.add(name)) {
                throw nameNode.error("duplicate field '" + name + "'");
            }
            YamlNode typeNode = required(f, m, "type");
            ColumnType type = type(typeNode);
            boolean nullable = !m.containsKey("nullable") || m.get("nullable").bool();
            out.add(new FieldSpec(name, type, nullable));
        }
        if (out.isEmpty()) {
            throw node.error("a pipeline needs at least one field");
        }
        return List.copyOf(out);
    }

    private static ColumnType type(YamlNode node) {
        String t = node.string().toUpperCase(Locale.ROOT);
        try {
            ColumnType type = ColumnType.valueOf(t);
            if (type != ColumnType.BINARY) {
                return type;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw node.error("unknown type '" + node.string() + "'; use string, int, long, double, boolean, timestamp or date");
    }

    private static String column(YamlNode node, Columns columns, ColumnType requiredType) {
        return requireColumn(node, node.string(), columns, requiredType);
    }

    private static String requireColumn(YamlNode node, String name, Columns columns, ColumnType requiredType) {
        ColumnType type = columns.types.get(name);
        if (type == null) {
            throw node.error("unknown column '" + name + "'; known: " + columns.types.keySet());
        }
        if (requiredType != null && type != requiredType) {
            throw node.error("column '" + name + "' must be a " + requiredType.name().toLowerCase() + " but is a "
                    + type.name().toLowerCase());
        }
        return name;
    }

    private static Expr expression(YamlNode node, Columns columns, ColumnType requiredType) {
        try {
            Expr e = Parser.parse(node.string(), columns);
            if (requiredType != null && e.type() != requiredType) {
                throw node.error("expression '" + node.string() + "' must be a " + requiredType.name().toLowerCase()
                        + " but is a " + e.type().name().toLowerCase());
            }
            return e;
        } catch (ExprException e) {
            throw node.error("in expression '" + node.string() + "': " + e.getMessage());
        }
    }

    private static ValidationRules rules(YamlNode node, Columns columns) {
        Map<String, YamlNode> m = node.map(Set.of("required", "allowed", "ranges"));
        List<String> required = new ArrayList<>();
        if (m.containsKey("required")) {
            for (YamlNode r : m.get("required").list()) {
                required.add(column(r, columns, null));
            }
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        if (m.containsKey("allowed")) {
            for (var e : m.get("allowed").map(null).entrySet()) {
                requireColumn(e.getValue(), e.getKey(), columns, null);
                allowed.put(e.getKey(), new LinkedHashSet<>(e.getValue().strings()));
            }
        }
        Map<String, ValidationRules.Range> ranges = new LinkedHashMap<>();
        if (m.containsKey("ranges")) {
            for (var e : m.get("ranges").map(null).entrySet()) {
                ColumnType t = columns.types.get(e.getKey());
                if (t == null || !(t == ColumnType.INT || t == ColumnType.LONG || t == ColumnType.DOUBLE)) {
                    throw e.getValue().error("range needs a numeric column but '" + e.getKey() + "' is "
                            + (t == null ? "unknown" : "a " + t.name().toLowerCase()));
                }
                Map<String, YamlNode> r = e.getValue().map(Set.of("min", "max"));
                ranges.put(e.getKey(), new ValidationRules.Range(r.containsKey("min") ? r.get("min").number() : null,
                        r.containsKey("max") ? r.get("max").number() : null));
            }
        }
        return new ValidationRules(List.copyOf(required), Map.copyOf(allowed), Map.copyOf(ranges));
    }

    private static List<DerivedColumn> derived(YamlNode node, Columns columns) {
        List<DerivedColumn> out = new ArrayList<>();
        for (YamlNode d : node.list()) {
            Map<String, YamlNode> m = d.map(Set.of("name", "expr"));
            YamlNode nameNode = required(d, m, "name");
            String name = nameNode.string();
            if (columns.types.containsKey(name) || !name.matches("[a-z][a-z0-9_]*")) {
                throw nameNode.error("derived column '" + name + "' must be a new lower-case name");
            }
            YamlNode exprNode = required(d, m, "expr");
            Expr e = expression(exprNode, columns, null);
            columns.types.put(name, e.type());
            out.add(new DerivedColumn(name, exprNode.string(), e));
        }
        return List.copyOf(out);
    }

    private static WindowSpec window(YamlNode node, Columns columns) {
        Map<String, YamlNode> m = node.map(Set.of("name", "type", "size", "hop", "timeout", "max_duration", "group_by",
                "aggregates"));
        String name = required(node, m, "name").string();
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
            timeout = duration(required(node, m, "timeout"), false);
            YamlNode max = required(node, m, "max_duration");
            size = duration(max, false);
            if (size.compareTo(timeout) < 0) {
                throw max.error("max_duration " + max.string() + " is shorter than the timeout");
            }
            if (m.containsKey("size")) {
                throw m.get("size").error("a session window has timeout and max_duration, not size");
            }
        } else {
            size = duration(required(node, m, "size"), false);
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
            hop = duration(hopNode, false);
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
        for (YamlNode g : required(node, m, "group_by").list()) {
            groupBy.add(column(g, columns, null));
        }
        List<AggregateSpec> aggregates = aggregates(required(node, m, "aggregates"), columns);
        return new WindowSpec(name, type, size, hop, timeout, List.copyOf(groupBy), aggregates);
    }

    private static List<AggregateSpec> aggregates(YamlNode node, Columns columns) {
        List<AggregateSpec> aggregates = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode a : node.list()) {
            Map<String, YamlNode> am = a.map(Set.of("fn", "column", "as"));
            YamlNode fnNode = required(a, am, "fn");
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
                column = column(c, columns, null);
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

    static Duration duration(YamlNode node, boolean zeroAllowed) {
        Duration d;
        try {
            d = Durations.parse(node.string());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            throw node.error("'" + node.string() + "' must be " + (zeroAllowed ? "zero or more" : "positive"));
        }
        return d;
    }
}
