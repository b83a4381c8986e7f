package io.hybridlake.pipeline.expr;

import io.hybridlake.lake.ColumnType;
import io.hybridlake.pipeline.expr.Lexer.Kind;
import io.hybridlake.pipeline.expr.Lexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses and type-checks the pipeline expression language, a small SQL-like subset:
 * literals, columns, {@code OR AND NOT}, comparisons, {@code IS [NOT] NULL}, {@code [NOT] IN (...)},
 * arithmetic, {@code ||}, and the functions in {@link Functions}.
 */
public final class Parser {
    private final List<Token> tokens;
    private final Scope scope;
    private int pos;

    private Parser(String source, Scope scope) {
        this.tokens = Lexer.tokens(source);
        this.scope = scope;
    }

    public static Expr parse(String source, Scope scope) {
        Parser p = new Parser(source, scope);
        Expr e = p.or();
        if (p.peek().kind() != Kind.END) {
            throw new ExprException("unexpected '" + p.peek().text() + "' at position " + p.peek().pos());
        }
        return e;
    }

    record Node(ColumnType type, Function<Object[], Object> fn) implements Expr {
        @Override
        public Object eval(Object[] row) {
            return fn.apply(row);
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private boolean accept(String op) {
        if (peek().is(op)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String op) {
        if (!accept(op)) {
            throw new ExprException("expected '" + op + "' at position " + peek().pos() + " but found '" + peek().text() + "'");
        }
    }

    private Expr or() {
        Expr left = and();
        while (accept("OR")) {
            Expr l = bool(left);
            Expr r = bool(and());
            left = new Node(ColumnType.BOOLEAN, row -> {
                Object a = l.eval(row);
                if (Boolean.TRUE.equals(a)) {
                    return true;
                }
                Object b = r.eval(row);
                return Boolean.TRUE.equals(b) ? Boolean.TRUE : (a == null || b == null ? null : Boolean.FALSE);
            });
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (accept("AND")) {
            Expr l = bool(left);
            Expr r = bool(not());
            left = new Node(ColumnType.BOOLEAN, row -> {
                Object a = l.eval(row);
                if (Boolean.FALSE.equals(a)) {
                    return false;
                }
                Object b = r.eval(row);
                return Boolean.FALSE.equals(b) ? Boolean.FALSE : (a == null || b == null ? null : Boolean.TRUE);
            });
        }
        return left;
    }

    private Expr not() {
        if (accept("NOT")) {
            Expr e = bool(not());
            return new Node(ColumnType.BOOLEAN, row -> {
                Object v = e.eval(row);
                return v == null ? null : !(Boolean) v;
            });
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        if (accept("IS")) {
            boolean negate = accept("NOT");
            expect("NULL");
            Expr e = left;
            return new Node(ColumnType.BOOLEAN, row -> (e.eval(row) == null) != negate);
        }
        boolean notIn = false;
        if (peek().is("NOT") && tokens.get(pos + 1).is("IN")) {
            pos++;
            notIn = true;
        }
        if (accept("IN")) {
            return in(left, notIn);
        }
        for (String op : List.of("=", "==", "!=", "<>", "<=", ">=", "<", ">")) {
            if (accept(op)) {
                return Operators.compare(op, left, additive());
            }
        }
        return left;
    }

    private Expr in(Expr left, boolean negate) {
        expect("(");
        Set<Object> values = new HashSet<>();
        do {
            Expr v = additive();
            Object constant = v.eval(new Object[0]);
            values.add(Operators.normalize(Operators.coerceTo(left.type(), constant, v.type())));
        } while (accept(","));
        expect(")");
        return new Node(ColumnType.BOOLEAN, row -> {
            Object v = left.eval(row);
            return v == null ? null : values.contains(Operators.normalize(v)) != negate;
        });
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (true) {
            if (accept("+")) {
                left = Operators.arithmetic('+', left, multiplicative());
            } else if (accept("-")) {
                left = Operators.arithmetic('-', left, multiplicative());
            } else if (accept("||")) {
                Expr l = left;
                Expr r = multiplicative();
                left = new Node(ColumnType.STRING, row -> {
                    Object a = l.eval(row);
                    Object b = r.eval(row);
                    return a == null || b == null ? null : Functions.text(a, l.type()) + Functions.text(b, r.type());
                });
            } else {
                return left;
            }
        }
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (true) {
            if (accept("*")) {
                left = Operators.arithmetic('*', left, unary());
            } else if (accept("/")) {
                left = Operators.arithmetic('/', left, unary());
            } else if (accept("%")) {
                left = Operators.arithmetic('%', left, unary());
            } else {
                return left;
            }
        }
    }

    private Expr unary() {
        if (accept("-")) {
            Expr e = unary();
            Operators.requireNumeric(e, "-");
            return new Node(e.type(), row -> {
                Object v = e.eval(row);
                return v == null ? null : v instanceof Double d ? (Object) (-d) : (Object) (-((Number) v).longValue());
            });
        }
        return primary();
    }

    private Expr primary() {
        Token t = peek();
        pos++;
        switch (t.kind()) {
            case NUMBER -> {
                if (t.text().contains(".")) {
                    double d = Double.parseDouble(t.text());
                    return new Node(ColumnType.DOUBLE, row -> d);
                }
                long l = Long.parseLong(t.text());
                return new Node(ColumnType.LONG, row -> l);
            }
            case STRING -> {
                String s = t.text();
                return new Node(ColumnType.STRING, row -> s);
            }
            case OP -> {
                if (t.text().equals("(")) {
                    Expr e = or();
                    expect(")");
                    return e;
                }
                throw new ExprException("unexpected '" + t.text() + "' at position " + t.pos());
            }
            case IDENT -> {
                return identifier(t);
            }
            default -> throw new ExprException("the expression ends too early");
        }
    }

    private Expr identifier(Token t) {
        String name = t.text();
        if (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false")) {
            boolean b = Boolean.parseBoolean(name.toLowerCase());
            return new Node(ColumnType.BOOLEAN, row -> b);
        }
        if (name.equalsIgnoreCase("null")) {
            return new Node(ColumnType.STRING, row -> null);
        }
        if (accept("(")) {
            List<Expr> args = new ArrayList<>();
            if (!accept(")")) {
                do {
                    args.add(or());
                } while (accept(","));
                expect(")");
            }
            return Functions.call(name.toLowerCase(), args);
        }
        int index = scope.indexOf(name);
        if (index < 0) {
            throw new ExprException("unknown column '" + name + "' at position " + t.pos());
        }
        ColumnType type = scope.typeOf(index);
        if (type == ColumnType.INT) {
            return new Node(ColumnType.LONG, row -> {
                Object v = row[index];
                return v == null ? null : ((Number) v).longValue();
            });
        }
        return new Node(type, row -> row[index]);
    }

    private static Expr bool(Expr e) {
        if (e.type() != ColumnType.BOOLEAN) {
            throw new ExprException("expected a boolean expression but found a " + e.type().name().toLowerCase());
        }
        return e;
    }
}
