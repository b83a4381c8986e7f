package io.hybridlake.pipeline;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.pipeline.expr.Expr;
import io.hybridlake.pipeline.expr.ExprException;
import io.hybridlake.pipeline.expr.Parser;
import io.hybridlake.pipeline.expr.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names and types visible to expressions: fields, then derived columns as they are declared. */
final class SpecColumns implements Scope {
    final Map<String, ColumnType> types = new LinkedHashMap<>();

    SpecColumns(List<FieldSpec> fields) {
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

    /** The column a node names, which must exist (and be of {@code requiredType} if given). */
    String column(YamlNode node, ColumnType requiredType) {
        return requireColumn(node, node.string(), requiredType);
    }

    String requireColumn(YamlNode node, String name, ColumnType requiredType) {
        ColumnType type = types.get(name);
        if (type == null) {
            throw node.error("unknown column '" + name + "'; known: " + types.keySet());
        }
        if (requiredType != null && type != requiredType) {
            throw node.error("column '" + name + "' must be a " + requiredType.name().toLowerCase() + " but is a "
                    + type.name().toLowerCase());
        }
        return name;
    }

    /** The node's expression, compiled and type-checked against these columns. */
    Expr expression(YamlNode node, ColumnType requiredType) {
        try {
            Expr e = Parser.parse(node.string(), this);
            if (requiredType != null && e.type() != requiredType) {
                throw node.error("expression '" + node.string() + "' must be a " + requiredType.name().toLowerCase()
                        + " but is a " + e.type().name().toLowerCase());
            }
            return e;
        } catch (ExprException e) {
            throw node.error("in expression '" + node.string() + "': " + e.getMessage());
        }
    }
}
