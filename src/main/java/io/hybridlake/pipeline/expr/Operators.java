package io.hybridlake.pipeline.expr;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.pipeline.expr.Parser.Node;

/** Typed comparison and arithmetic, with numeric widening (long op double = double). */
final class Operators {
    private Operators() {
    }

    static boolean numeric(ColumnType t) {
        return t == ColumnType.LONG || t == ColumnType.DOUBLE || t == ColumnType.INT;
    }

    static void requireNumeric(Expr e, String op) {
        if (!numeric(e.type())) {
            throw new ExprException("'" + op + "' needs a number but got a " + e.type().name().toLowerCase());
        }
    }

    /** Numbers compare as doubles when either side is a double; dates and timestamps as numbers. */
    static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    /** Converts a literal to the type it is compared with: '2025-01-01' to a date or timestamp. */
    static Object coerceTo(ColumnType target, Object value, ColumnType valueType) {
        if (value == null || target == valueType) {
            return value;
        }
        if (valueType == ColumnType.STRING && (target == ColumnType.DATE || target == ColumnType.TIMESTAMP)) {
            return target == ColumnType.DATE ? Functions.parseDate((String) value) : Functions.parseTimestamp((String) value);
        }
        if (numeric(target) && numeric(valueType)) {
            return target == ColumnType.DOUBLE ? ((Number) value).doubleValue() : value;
        }
        throw new ExprException("cannot compare a " + target.name().toLowerCase() + " with a " + valueType.name().toLowerCase());
    }

    static Expr compare(String op, Expr left, Expr right) {
        ColumnType lt = left.type();
        ColumnType rt = right.type();
        boolean bothNumeric = numeric(lt) && numeric(rt);
        boolean temporalLiteral = (lt == ColumnType.DATE || lt == ColumnType.TIMESTAMP) && rt == ColumnType.STRING;
        if (!bothNumeric && lt != rt && !temporalLiteral) {
            throw new ExprException("cannot compare a " + lt.name().toLowerCase() + " with a " + rt.name().toLowerCase());
        }
        boolean asDouble = bothNumeric && (lt == ColumnType.DOUBLE || rt == ColumnType.DOUBLE);
        return new Node(ColumnType.BOOLEAN, row -> {
            Object a = left.eval(row);
            Object b = right.eval(row);
            if (a == null || b == null) {
                return null;
            }
            if (temporalLiteral) {
                b = coerceTo(lt, b, rt);
            }
            int c = asDouble ? Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()) : compareValues(a, b);
            return switch (op) {
                case "=", "==" -> c == 0;
                case "!=", "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Long.compare(x.longValue(), y.longValue());
        }
        return ((Comparable) a).compareTo(b);
    }

    static Expr arithmetic(char op, Expr left, Expr right) {
        requireNumeric(left, String.valueOf(op));
        requireNumeric(right, String.valueOf(op));
        boolean dbl = left.type() == ColumnType.DOUBLE || right.type() == ColumnType.DOUBLE || op == '/';
        return new Node(dbl ? ColumnType.DOUBLE : ColumnType.LONG, row -> {
            Object a = left.eval(row);
            Object b = right.eval(row);
            if (a == null || b == null) {
                return null;
            }
            if (dbl) {
                double x = ((Number) a).doubleValue();
                double y = ((Number) b).doubleValue();
                return switch (op) {
                    case '+' -> x + y;
                    case '-' -> x - y;
                    case '*' -> x * y;
                    case '/' -> y == 0 ? null : x / y;
                    default -> y == 0 ? null : x % y;
                };
            }
            long x = ((Number) a).longValue();
            long y = ((Number) b).longValue();
            return switch (op) {
                case '+' -> x + y;
                case '-' -> x - y;
                case '*' -> x * y;
                default -> y == 0 ? null : x % y;
            };
        });
    }
}
