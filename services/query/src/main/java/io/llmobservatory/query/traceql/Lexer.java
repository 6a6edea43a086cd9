package io.llmobservatory.query.traceql;

import java.util.ArrayList;
import java.util.List;

/** Splits a TraceQL query into tokens. */
final class Lexer {
    private Lexer() {
    }

    static List<Token> tokens(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{') {
                out.add(new Token(Token.Kind.LBRACE, "{", col));
                i++;
            } else if (c == '}') {
                out.add(new Token(Token.Kind.RBRACE, "}", col));
                i++;
            } else if (c == '(') {
                out.add(new Token(Token.Kind.LPAREN, "(", col));
                i++;
            } else if (c == ')') {
                out.add(new Token(Token.Kind.RPAREN, ")", col));
                i++;
            } else if (q.startsWith("&&", i)) {
                out.add(new Token(Token.Kind.AND, "&&", col));
                i += 2;
            } else if (q.startsWith("||", i)) {
                out.add(new Token(Token.Kind.OR, "||", col));
                i += 2;
            } else if (c == '|') {
                out.add(new Token(Token.Kind.PIPE, "|", col));
                i++;
            } else if (q.startsWith(">>", i) || q.startsWith("<<", i) || q.startsWith("~", i) && !q.startsWith("~=", i)) {
                String s = q.startsWith("~", i) ? "~" : q.substring(i, i + 2);
                out.add(new Token(Token.Kind.STRUCTURAL, s, col));
                i += s.length();
            } else if (q.startsWith("!=", i) || q.startsWith("=~", i) || q.startsWith("!~", i) || q.startsWith(">=", i)
                    || q.startsWith("<=", i)) {
                out.add(new Token(Token.Kind.OP, q.substring(i, i + 2), col));
                i += 2;
            } else if (c == '=' || c == '>' || c == '<') {
                out.add(new Token(Token.Kind.OP, String.valueOf(c), col));
                i++;
            } else if (c == '"' || c == '`') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < q.length() && q.charAt(j) != c) {
                    if (c == '"' && q.charAt(j) == '\\' && j + 1 < q.length()) {
                        j++;
                    }
                    sb.append(q.charAt(j));
                    j++;
                }
                if (j >= q.length()) {
                    throw new TraceQlException("unterminated string", col);
                }
                out.add(new Token(Token.Kind.STRING, sb.toString(), col));
                i = j + 1;
            } else if (digit(c) || (c == '-' && i + 1 < q.length() && digit(q.charAt(i + 1)))) {
                int j = i + 1;
                while (j < q.length() && (digit(q.charAt(j)) || q.charAt(j) == '.')) {
                    j++;
                }
                int unit = j;
                while (j < q.length() && Character.isLetter(q.charAt(j))) {
                    j++;
                }
                String number = q.substring(i, unit);
                if (!NUMBER.matcher(number).matches()) {
                    throw new TraceQlException("malformed number '" + number + "'", col);
                }
                String suffix = q.substring(unit, j);
                out.add(new Token(suffix.isEmpty() ? Token.Kind.NUMBER : Token.Kind.DURATION, number + suffix, col));
                i = j;
            } else if (Character.isLetter(c) || c == '.' || c == '_') {
                int j = i;
                while (j < q.length() && (Character.isLetterOrDigit(q.charAt(j)) || "._:-/".indexOf(q.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(new Token(Token.Kind.IDENT, q.substring(i, j), col));
                i = j;
            } else {
                throw new TraceQlException("unexpected character '" + c + "'", col);
            }
        }
        out.add(new Token(Token.Kind.EOF, "", q.length() + 1));
        return out;
    }

    /** Numbers are ASCII: other scripts' digits are not numbers here. */
    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
}
