package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.lake.TablePath;
import io.hybridlake.pipeline.expr.Expr;
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
        SpecColumns columns = new SpecColumns(fields);
        String key = columns.column(required(doc, top, "key"), null);
        YamlNode eventTimeNode = required(doc, top, "event_time");
        String eventTime = columns.column(eventTimeNode, ColumnType.TIMESTAMP);
        ValidationRules rules = top.containsKey("rules") ? rules(top.get("rules"), columns) : emptyRules();
        List<DerivedColumn> derived = top.containsKey("derived") ? derived(top.get("derived"), columns) : List.of();
        List<FilterRule> filters = new ArrayList<>();
        if (top.containsKey("filters")) {
            for (YamlNode f : top.get("filters").list()) {
                filters.add(new FilterRule(f.string(), columns.expression(f, ColumnType.BOOLEAN)));
            }
        }
        List<String> partitionBy = new ArrayList<>();
        if (top.containsKey("partition_by")) {
            for (YamlNode p : top.get("partition_by").list()) {
                partitionBy.add(columns.column(p, null));
            }
        }
        List<String> clusterBy = new ArrayList<>();
        if (top.containsKey("cluster_by")) {
            for (YamlNode c : top.get("cluster_by").list()) {
                clusterBy.add(columns.column(c, null));
            }
        }
        List<WindowSpec> windows = new ArrayList<>();
        if (top.containsKey("windows")) {
            Set<String> names = new LinkedHashSet<>();
            for (YamlNode w : top.get("windows").list()) {
                WindowSpec spec = WindowSpecs.window(w, columns);
                if (!names.add(spec.name())) {
                    throw w.error("duplicate window name '" + spec.name() + "'");
                }
                windows.add(spec);
            }
        }
        String description = top.containsKey("description") ? top.get("description").string() : "";
        EventTimePolicy timing = top.containsKey("watermark") ? PolicySections.timing(top.get("watermark"), format)
                : format == SourceFormat.DEBEZIUM ? EventTimePolicy.NEVER_LATE : EventTimePolicy.STREAM_ANALYTICS_DEFAULTS;
        DedupSpec dedup = top.containsKey("dedup") ? PolicySections.dedup(top.get("dedup"), columns, key, timing) : null;
        List<CuratedSpec> curated = new ArrayList<>();
        if (top.containsKey("curated")) {
            for (YamlNode c : top.get("curated").list()) {
                curated.add(PolicySections.curated(c, columns, partitionBy));
            }
        }
        SchemaPolicy schemaPolicy = top.containsKey("schema") ? PolicySections.schemaPolicy(top.get("schema"))
                : SchemaPolicy.FIXED;
        MergePolicy merge = top.containsKey("merge") ? PolicySections.mergePolicy(top.get("merge")) : MergePolicy.DEFAULT;
        return new PipelineSpec(table, description, file, topic, format, List.copyOf(fields), key, eventTime,
                partitionBy, List.copyOf(clusterBy), rules, derived, List.copyOf(filters), windows, timing, dedup,
                List.copyOf(curated), schemaPolicy, merge, added, yaml);
    }

    private static SourceFormat format(YamlNode node) {
        try {
            return SourceFormat.valueOf(node.string().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw node.error("unknown source format '" + node.string() + "'; use json or debezium");
        }
    }

    private static ValidationRules emptyRules() {
        return new ValidationRules(List.of(), Map.of(), Map.of());
    }

    static YamlNode required(YamlNode parent, Map<String, YamlNode> map, String key) {
        YamlNode n = map.get(key);
        if (n == null) {
            throw new PipelineSpecException(parent.file, parent.line(), parent.path.isEmpty() ? key : parent.path,
                    "required key '" + key + "' is missing");
        }
        return n;
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

    private static ValidationRules rules(YamlNode node, SpecColumns columns) {
        Map<String, YamlNode> m = node.map(Set.of("required", "allowed", "ranges"));
        List<String> required = new ArrayList<>();
        if (m.containsKey("required")) {
            for (YamlNode r : m.get("required").list()) {
                required.add(columns.column(r, null));
            }
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        if (m.containsKey("allowed")) {
            for (var e : m.get("allowed").map(null).entrySet()) {
                columns.requireColumn(e.getValue(), e.getKey(), null);
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

    private static List<DerivedColumn> derived(YamlNode node, SpecColumns columns) {
        List<DerivedColumn> out = new ArrayList<>();
        for (YamlNode d : node.list()) {
            Map<String, YamlNode> m = d.map(Set.of("name", "expr"));
            YamlNode nameNode = required(d, m, "name");
            String name = nameNode.string();
            if (columns.types.containsKey(name) || !name.matches("[a-z][a-z0-9_]*")) {
                throw nameNode.error("derived column '" + name + "' must be a new lower-case name");
            }
            YamlNode exprNode = required(d, m, "expr");
            Expr e = columns.expression(exprNode, null);
            columns.types.put(name, e.type());
            out.add(new DerivedColumn(name, exprNode.string(), e));
        }
        return List.copyOf(out);
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
