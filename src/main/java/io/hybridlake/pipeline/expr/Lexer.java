package io.hybridlake.pipeline.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens: identifiers, numbers, 'strings' and operators. */
final class Lexer {
    enum Kind { IDENT, NUMBER, STRING, OP, END }

    record Token(Kind kind, String text, int pos) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.IDENT) && text.equalsIgnoreCase(s);
        }
    }

    private Lexer() {
    }

    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, src.substring(s, i), s));
            } else if (Character.isDigit(c)) {
                int s = i;
                while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, src.substring(s, i), s));
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                int s = i++;
                while (true) {
                    if (i >= src.length()) {
                        throw new ExprException("unterminated string starting at position " + s);
                    }
                    char d = src.charAt(i++);
                    if (d == '\'') {
                        if (i < src.length() && src.charAt(i) == '\'') {
                            sb.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(d);
                    }
                }
                out.add(new Token(Kind.STRING, sb.toString(), s));
            } else {
                String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
                if (List.of("<=", ">=", "!=", "<>", "==", "||").contains(two)) {
                    out.add(new Token(Kind.OP, two, i));
                    i += 2;
                } else if ("=<>+-*/%(),".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OP, String.valueOf(c), i));
                    i++;
                } else {
                    throw new ExprException("unexpected character '" + c + "' at position " + i);
                }
            }
        }
        out.add(new Token(Kind.END, "", src.length()));
        return out;
    }
}
