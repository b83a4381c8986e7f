package io.hybridlake.pipeline.expr;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.pipeline.expr.Parser.Node;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Built-in functions: to_date, year, month, day, hour, minute, date_trunc, lower, upper, trim,
 * length, concat, coalesce, abs, round, floor, ceil. Timestamps are UTC.
 */
final class Functions {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Functions() {
    }

    static Expr call(String name, List<Expr> args) {
        return switch (name) {
            case "to_date" -> unary(name, args, ColumnType.DATE, ColumnType.TIMESTAMP,
                    v -> (int) Math.floorDiv((Long) v, MICROS_PER_DAY));
            case "year", "month", "day", "hour", "minute" -> datePart(name, args);
            case "date_trunc" -> dateTrunc(args);
            case "lower" -> unary(name, args, ColumnType.STRING, ColumnType.STRING, v -> ((String) v).toLowerCase(Locale.ROOT));
            case "upper" -> unary(name, args, ColumnType.STRING, ColumnType.STRING, v -> ((String) v).toUpperCase(Locale.ROOT));
            case "trim" -> unary(name, args, ColumnType.STRING, ColumnType.STRING, v -> ((String) v).strip());
            case "length" -> unary(name, args, ColumnType.LONG, ColumnType.STRING, v -> (long) ((String) v).length());
            case "abs" -> numeric(name, args, v -> v instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs((Long) v));
            case "floor" -> numeric(name, args, v -> v instanceof Double d ? (Object) Math.floor(d) : v);
            case "ceil" -> numeric(name, args, v -> v instanceof Double d ? (Object) Math.ceil(d) : v);
            case "round" -> round(args);
            case "concat" -> concat(args);
            case "coalesce" -> coalesce(args);
            default -> throw new ExprException("unknown function '" + name + "'");
        };
    }

    private static void arity(String name, List<Expr> args, int n) {
        if (args.size() != n) {
            throw new ExprException(name + "() takes " + n + " argument(s) but got " + args.size());
        }
    }

    private static Expr unary(String name, List<Expr> args, ColumnType result, ColumnType input,
            Function<Object, Object> fn) {
        arity(name, args, 1);
        Expr a = args.get(0);
        if (a.type() != input) {
            throw new ExprException(name + "() needs a " + input.name().toLowerCase() + " but got a "
                    + a.type().name().toLowerCase());
        }
        return new Node(result, row -> {
            Object v = a.eval(row);
            return v == null ? null : fn.apply(v);
        });
    }

    private static Expr numeric(String name, List<Expr> args, Function<Object, Object> fn) {
        arity(name, args, 1);
        Expr a = args.get(0);
        Operators.requireNumeric(a, name + "()");
        return new Node(a.type(), row -> {
            Object v = a.eval(row);
            return v == null ? null : fn.apply(v);
        });
    }

    private static Expr datePart(String name, List<Expr> args) {
        arity(name, args, 1);
        Expr a = args.get(0);
        if (a.type() != ColumnType.TIMESTAMP && a.type() != ColumnType.DATE) {
            throw new ExprException(name + "() needs a timestamp or date");
        }
        ChronoField field = switch (name) {
            case "year" -> ChronoField.YEAR;
            case "month" -> ChronoField.MONTH_OF_YEAR;
            case "day" -> ChronoField.DAY_OF_MONTH;
            case "hour" -> ChronoField.HOUR_OF_DAY;
            default -> ChronoField.MINUTE_OF_HOUR;
        };
        boolean date = a.type() == ColumnType.DATE;
        if (date && (field == ChronoField.HOUR_OF_DAY || field == ChronoField.MINUTE_OF_HOUR)) {
            throw new ExprException(name + "() needs a timestamp, not a date");
        }
        return new Node(ColumnType.LONG, row -> {
            Object v = a.eval(row);
            if (v == null) {
                return null;
            }
            LocalDateTime t = date ? LocalDate.ofEpochDay((Integer) v).atStartOfDay() : toDateTime((Long) v);
            return (long) t.get(field);
        });
    }

    private static Expr dateTrunc(List<Expr> args) {
        arity("date_trunc", args, 2);
        Object unit = args.get(0).eval(new Object[0]);
        Expr ts = args.get(1);
        if (!(unit instanceof String u) || ts.type() != ColumnType.TIMESTAMP) {
            throw new ExprException("date_trunc('minute'|'hour'|'day', timestamp) needs a unit literal and a timestamp");
        }
        long step = switch (u.toLowerCase(Locale.ROOT)) {
            case "minute" -> 60_000_000L;
            case "hour" -> 3_600_000_000L;
            case "day" -> MICROS_PER_DAY;
            default -> throw new ExprException("date_trunc unit must be 'minute', 'hour' or 'day', not '" + u + "'");
        };
        return new Node(ColumnType.TIMESTAMP, row -> {
            Object v = ts.eval(row);
            return v == null ? null : Math.floorDiv((Long) v, step) * step;
        });
    }

    private static Expr round(List<Expr> args) {
        if (args.size() != 1 && args.size() != 2) {
            throw new ExprException("round() takes 1 or 2 arguments");
        }
        Expr a = args.get(0);
        Operators.requireNumeric(a, "round()");
        int digits = args.size() == 2 ? ((Number) args.get(1).eval(new Object[0])).intValue() : 0;
        double scale = Math.pow(10, digits);
        return new Node(ColumnType.DOUBLE, row -> {
            Object v = a.eval(row);
            return v == null ? null : Math.round(((Number) v).doubleValue() * scale) / scale;
        });
    }

    private static Expr concat(List<Expr> args) {
        return new Node(ColumnType.STRING, row -> {
            StringBuilder sb = new StringBuilder();
            for (Expr e : args) {
                Object v = e.eval(row);
                if (v != null) {
                    sb.append(text(v, e.type()));
                }
            }
            return sb.toString();
        });
    }

    private static Expr coalesce(List<Expr> args) {
        if (args.isEmpty()) {
            throw new ExprException("coalesce() needs at least one argument");
        }
        ColumnType t = args.get(0).type();
        for (Expr e : args) {
            if (e.type() != t && !(Operators.numeric(e.type()) && Operators.numeric(t))) {
                throw new ExprException("coalesce() arguments must have one type");
            }
        }
        return new Node(t, row -> {
            for (Expr e : args) {
                Object v = e.eval(row);
                if (v != null) {
                    return v;
                }
            }
            return null;
        });
    }

    static String text(Object v, ColumnType type) {
        return switch (type) {
            case TIMESTAMP -> Instant.EPOCH.plusNanos((Long) v * 1000).toString();
            case DATE -> LocalDate.ofEpochDay((Integer) v).toString();
            default -> String.valueOf(v);
        };
    }

    static LocalDateTime toDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    static int parseDate(String s) {
        try {
            return (int) LocalDate.parse(s).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new ExprException("'" + s + "' is not a date (yyyy-mm-dd)");
        }
    }

    static long parseTimestamp(String s) {
        try {
            Instant i = OffsetDateTime.parse(s).toInstant();
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw new ExprException("'" + s + "' is not an ISO-8601 timestamp with offset");
        }
    }
}
