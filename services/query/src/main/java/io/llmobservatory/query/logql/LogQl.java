package io.llmobservatory.query.logql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The supported LogQL subset: stream selectors ({@code = != =~ !~}), line filters ({@code |= != |~ !~}),
 * {@code | json}, label filters ({@code = != =~ !~ > >= < <=}, numbers and durations), {@code | line_format}, and
 * the metric forms {@code rate}, {@code count_over_time}, {@code sum|count|min|max|avg [by (...)]} and arithmetic
 * between metric queries. Anything else fails with a {@link LogQlException} naming the construct.
 */
public final class LogQl {
    private static final Set<String> RANGE_FUNCTIONS = Set.of("rate", "count_over_time");
    private static final Set<String> VECTOR_FUNCTIONS = Set.of("sum", "count", "min", "max", "avg");
    private static final Map<String, Long> UNITS = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L,
            "d", 86_400_000L);
    private static final List<String> SYMBOLS = List.of("|=", "|~", "!=", "!~", "=~", ">=", "<=", "{", "}", "(", ")", "[",
            "]", ",", "|", "=", ">", "<", "/", "*", "+", "-");

    private record Tok(String kind, String text, int column) {
    }

    private final List<Tok> tokens;
    private int at;

    private LogQl(List<Tok> tokens) {
        this.tokens = tokens;
    }

    public static Ast parse(String query) {
        if (query == null || query.isBlank()) {
            throw new LogQlException("empty query", 1);
        }
        LogQl p = new LogQl(lex(query));
        Ast ast = p.peek().text().equals("{") ? p.logQuery() : p.metric();
        if (!p.peek().kind().equals("eof")) {
            throw new LogQlException("unexpected '" + p.peek().text() + "'", p.peek().column());
        }
        return ast;
    }

    private Ast.Metric metric() {
        Ast.Metric left = metricTerm();
        while (Set.of("/", "*", "+", "-").contains(peek().text())) {
            String op = next().text();
            left = new Ast.Binary(left, op, metricTerm());
        }
        return left;
    }

    private Ast.Metric metricTerm() {
        Tok fn = next();
        if (fn.text().equals("(")) {
            Ast.Metric inner = metric();
            expect(")");
            return inner;
        }
        if (RANGE_FUNCTIONS.contains(fn.text())) {
            expect("(");
            Ast.LogQuery q = logQuery();
            expect("[");
            Tok d = next();
            if (!d.kind().equals("duration")) {
                throw new LogQlException("expected a range such as [5m]", d.column());
            }
            expect("]");
            expect(")");
            return new Ast.RangeAggregation(fn.text(), q, duration(d));
        }
        if (VECTOR_FUNCTIONS.contains(fn.text())) {
            List<String> by = List.of();
            if (peek().text().equals("by")) {
                next();
                by = labels();
            } else if (peek().text().equals("without")) {
                throw new LogQlException("unsupported construct: without", peek().column());
            }
            expect("(");
            Ast.Metric inner = metric();
            expect(")");
            if (peek().text().equals("by")) {
                next();
                by = labels();
            }
            return new Ast.VectorAggregation(fn.text(), by, inner);
        }
        if (fn.kind().equals("ident") && peek().text().equals("(")) {
            throw new LogQlException("unsupported construct: function " + fn.text(), fn.column());
        }
        throw new LogQlException("expected a log query {...} or a metric function, got '" + fn.text() + "'", fn.column());
    }

    private List<String> labels() {
        expect("(");
        List<String> out = new ArrayList<>();
        while (!peek().text().equals(")")) {
            Tok l = next();
            if (!l.kind().equals("ident")) {
                throw new LogQlException("expected a label name", l.column());
            }
            out.add(l.text());
            if (peek().text().equals(",")) {
                next();
            }
        }
        expect(")");
        return out;
    }

    private Ast.LogQuery logQuery() {
        expect("{");
        List<Ast.LabelMatcher> matchers = new ArrayList<>();
        while (!peek().text().equals("}")) {
            Tok name = next();
            if (name.kind().equals("eof")) {
                throw new LogQlException("unclosed stream selector: expected '}'", name.column());
            }
            if (!name.kind().equals("ident")) {
                throw new LogQlException("expected a label name in the stream selector", name.column());
            }
            Tok op = next();
            if (!Set.of("=", "!=", "=~", "!~").contains(op.text())) {
                throw new LogQlException("expected = != =~ !~ after " + name.text(), op.column());
            }
            Tok value = next();
            if (!value.kind().equals("string")) {
                throw new LogQlException("label values are quoted strings", value.column());
            }
            regex(op.text(), value);
            matchers.add(new Ast.LabelMatcher(name.text(), op.text(), value.text()));
            if (peek().text().equals(",")) {
                next();
            }
        }
        Tok close = next();
        if (matchers.isEmpty()) {
            throw new LogQlException("a stream selector needs at least one label matcher", close.column());
        }
        List<Ast.Stage> stages = new ArrayList<>();
        while (true) {
            String t = peek().text();
            if (Set.of("|=", "!=", "|~", "!~").contains(t)) {
                Tok op = next();
                Tok value = next();
                if (!value.kind().equals("string")) {
                    throw new LogQlException("a line filter takes a quoted string", value.column());
                }
                regex(op.text().replace("|", "="), value);
                stages.add(new Ast.LineFilter(op.text(), value.text()));
            } else if (t.equals("|")) {
                next();
                stages.add(stage());
            } else {
                return new Ast.LogQuery(matchers, stages);
            }
        }
    }

    private Ast.Stage stage() {
        Tok t = next();
        if (t.text().equals("json")) {
            if (peek().kind().equals("ident") && !peek().text().equals("json")) {
                throw new LogQlException("unsupported construct: json with parameters", peek().column());
            }
            return new Ast.Json();
        }
        if (t.text().equals("line_format")) {
            Tok template = next();
            if (!template.kind().equals("string")) {
                throw new LogQlException("line_format takes a quoted template", template.column());
            }
            return new Ast.LineFormat(template.text());
        }
        if (Set.of("logfmt", "regexp", "pattern", "unpack", "label_format", "drop", "keep", "decolorize", "unwrap")
                .contains(t.text())) {
            throw new LogQlException("unsupported construct: " + t.text(), t.column());
        }
        if (!t.kind().equals("ident")) {
            throw new LogQlException("expected a parser, a label filter or line_format after '|'", t.column());
        }
        Tok op = next();
        if (!Set.of("=", "!=", "=~", "!~", ">", ">=", "<", "<=").contains(op.text())) {
            throw new LogQlException("expected a comparison after " + t.text(), op.column());
        }
        Tok value = next();
        if (value.kind().equals("string")) {
            if (Set.of(">", ">=", "<", "<=").contains(op.text())) {
                throw new LogQlException("strings take = != =~ !~", op.column());
            }
            regex(op.text(), value);
            return new Ast.LabelFilter(t.text(), op.text(), value.text(), null);
        }
        if (value.kind().equals("number")) {
            if (op.text().contains("~")) {
                throw new LogQlException("numbers cannot be matched with " + op.text(), op.column());
            }
            return new Ast.LabelFilter(t.text(), op.text(), null, Double.parseDouble(value.text()));
        }
        if (value.kind().equals("duration")) {
            return new Ast.LabelFilter(t.text(), op.text(), null, duration(value).toMillis() / 1000.0);
        }
        throw new LogQlException("expected a value after " + t.text() + " " + op.text(), value.column());
    }

    private static void regex(String op, Tok value) {
        if (op.endsWith("~")) {
            try {
                Pattern.compile(value.text());
            } catch (PatternSyntaxException e) {
                throw new LogQlException("invalid regular expression \"" + value.text() + "\"", value.column());
            }
        }
    }

    private static Duration duration(Tok t) {
        String s = t.text();
        int i = 0;
        while (i < s.length() && (digit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        Long unit = UNITS.get(s.substring(i));
        if (unit == null) {
            throw new LogQlException("unknown duration unit in '" + s + "' (ms, s, m, h, d)", t.column());
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, i)) * unit));
    }

    private Tok peek() {
        return tokens.get(at);
    }

    private Tok next() {
        Tok t = tokens.get(at);
        if (!t.kind().equals("eof")) {
            at++;
        }
        return t;
    }

    private void expect(String text) {
        Tok t = next();
        if (!t.text().equals(text)) {
            throw new LogQlException("expected '" + text + "'" + (t.kind().equals("eof") ? " before the end"
                    : ", got '" + t.text() + "'"), t.column());
        }
    }

    private static List<Tok> lex(String q) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        outer:
        while (i < q.length()) {
            char c = q.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '"' || c == '`') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < q.length() && q.charAt(j) != c) {
                    if (c == '"' && q.charAt(j) == '\\' && j + 1 < q.length()) {
                        j++;
                    }
                    sb.append(q.charAt(j++));
                }
                if (j >= q.length()) {
                    throw new LogQlException("unterminated string", col);
                }
                out.add(new Tok("string", sb.toString(), col));
                i = j + 1;
                continue;
            }
            if (digit(c)) {
                int j = i;
                while (j < q.length() && (digit(q.charAt(j)) || q.charAt(j) == '.')) {
                    j++;
                }
                if (!NUMBER.matcher(q.substring(i, j)).matches()) {
                    throw new LogQlException("malformed number '" + q.substring(i, j) + "'", col);
                }
                int unit = j;
                while (j < q.length() && Character.isLetter(q.charAt(j))) {
                    j++;
                }
                out.add(new Tok(unit == j ? "number" : "duration", q.substring(i, j), col));
                i = j;
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < q.length() && (Character.isLetterOrDigit(q.charAt(j)) || q.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Tok("ident", q.substring(i, j), col));
                i = j;
                continue;
            }
            for (String s : SYMBOLS) {
                if (q.startsWith(s, i)) {
                    out.add(new Tok("symbol", s, col));
                    i += s.length();
                    continue outer;
                }
            }
            throw new LogQlException("unexpected character '" + c + "'", col);
        }
        out.add(new Tok("eof", "", q.length() + 1));
        return out;
    }

    /** Numbers are ASCII: other scripts' digits are not numbers here. */
    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");
}
