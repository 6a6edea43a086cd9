package io.llmobservatory.alerting.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the small health-rule form:
 * <pre>
 * expr     := operand [ '/' operand ] comparison number
 * operand  := 'rate' '(' selector '[' duration ']' ')' | selector
 * selector := metric [ '{' label '=' string { ',' label '=' string } '}' ]
 * </pre>
 * Anything else (other functions, aggregations, arithmetic beyond one division) is refused with the position and a
 * message naming the construct: this is not a PromQL engine, and must never answer a different question silently.
 */
public final class HealthExprParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private static final java.util.Set<String> AGGREGATIONS = java.util.Set.of("sum", "avg", "min", "max", "count",
            "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values");

    private final String text;
    private int pos;

    private HealthExprParser(String text) {
        this.text = text;
    }

    public static HealthExpr parse(String expr) {
        if (expr == null || expr.isBlank()) {
            throw new RuleSyntaxException("expr is empty", -1);
        }
        if (expr.length() > 1000) {
            throw new RuleSyntaxException("expr is longer than 1000 characters", -1);
        }
        HealthExprParser p = new HealthExprParser(expr);
        HealthExpr result = p.expr();
        p.skipSpace();
        if (p.pos < expr.length()) {
            throw new RuleSyntaxException("unexpected '" + p.rest() + "' after the threshold", p.pos);
        }
        return result;
    }

    private HealthExpr expr() {
        HealthExpr.Operand left = operand();
        HealthExpr.Operand divisor = null;
        skipSpace();
        if (peek('/')) {
            pos++;
            divisor = operand();
            skipSpace();
        }
        if (peek('+') || peek('-') || peek('*') || peek('/') || peek('%') || peek('^')) {
            throw new RuleSyntaxException("arithmetic '" + text.charAt(pos) + "' is not supported (only one division"
                    + " of two operands)", pos);
        }
        HealthExpr.Comparison op = comparison();
        skipSpace();
        Matcher m = NUMBER.matcher(text).region(pos, text.length());
        if (!m.lookingAt()) {
            throw new RuleSyntaxException("expected a number after '" + op.symbol + "'", pos);
        }
        pos = m.end();
        double threshold = Double.parseDouble(m.group());
        if (Double.isNaN(threshold) || Double.isInfinite(threshold)) {
            throw new RuleSyntaxException("the threshold must be a finite number", m.start());
        }
        return new HealthExpr(left, divisor, op, threshold);
    }

    private HealthExpr.Operand operand() {
        skipSpace();
        int start = pos;
        String name = match(NAME, "a metric name or rate(...)");
        skipSpace();
        if (AGGREGATIONS.contains(name) && (peek('(') || text.startsWith("by", pos) || text.startsWith("without", pos))) {
            throw new RuleSyntaxException("aggregation '" + name + "' is not supported", start);
        }
        if (peek('(')) {
            if (!name.equals("rate")) {
                throw new RuleSyntaxException("function '" + name + "' is not supported (only rate)", start);
            }
            pos++;
            skipSpace();
            HealthExpr.Selector selector = selector(match(NAME, "a metric name"), true);
            skipSpace();
            expect('[');
            skipSpace();
            int d = pos;
            Matcher m = DURATION.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                throw new RuleSyntaxException("expected a duration like 5m", pos);
            }
            pos = m.end();
            Duration window = duration(Long.parseLong(m.group(1)), m.group(2));
            if (window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
                throw new RuleSyntaxException("the rate window must be between 1ms and 1d", d);
            }
            skipSpace();
            expect(']');
            skipSpace();
            expect(')');
            return new HealthExpr.Operand(selector, window);
        }
        return new HealthExpr.Operand(selector(name, false), null);
    }

    private HealthExpr.Selector selector(String name, boolean inRate) {
        skipSpace();
        Map<String, String> labels = new LinkedHashMap<>();
        if (peek('{')) {
            pos++;
            skipSpace();
            while (!peek('}')) {
                String label = match(LABEL, "a label name");
                skipSpace();
                if (peek('!') || peek('=') && pos + 1 < text.length() && text.charAt(pos + 1) == '~') {
                    throw new RuleSyntaxException("only '=' label matchers are supported", pos);
                }
                expect('=');
                skipSpace();
                labels.put(label, string());
                skipSpace();
                if (peek(',')) {
                    pos++;
                    skipSpace();
                } else if (!peek('}')) {
                    throw new RuleSyntaxException("expected ',' or '}'", pos);
                }
            }
            pos++;
        }
        skipSpace();
        if (!inRate && peek('[')) {
            throw new RuleSyntaxException("a range selector needs rate(...)", pos);
        }
        return new HealthExpr.Selector(name, labels);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != '"') {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        if (pos >= text.length()) {
            throw new RuleSyntaxException("unterminated string", pos);
        }
        pos++;
        return out.toString();
    }

    private HealthExpr.Comparison comparison() {
        for (HealthExpr.Comparison c : new HealthExpr.Comparison[] {HealthExpr.Comparison.GE, HealthExpr.Comparison.LE,
                HealthExpr.Comparison.EQ, HealthExpr.Comparison.NE, HealthExpr.Comparison.GT, HealthExpr.Comparison.LT}) {
            if (text.startsWith(c.symbol, pos)) {
                pos += c.symbol.length();
                return c;
            }
        }
        throw new RuleSyntaxException(pos >= text.length() ? "expected a comparison (> >= < <= == !=) and a threshold"
                : "expected a comparison (> >= < <= == !=), got '" + rest() + "'", pos);
    }

    private String match(Pattern p, String what) {
        Matcher m = p.matcher(text).region(pos, text.length());
        if (!m.lookingAt()) {
            throw new RuleSyntaxException("expected " + what + (pos < text.length() ? ", got '" + rest() + "'" : ""), pos);
        }
        pos = m.end();
        return m.group();
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw new RuleSyntaxException("expected '" + c + "'" + (pos < text.length() ? ", got '" + rest() + "'" : ""), pos);
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String rest() {
        String r = text.substring(pos);
        return r.length() > 20 ? r.substring(0, 20) + "…" : r;
    }

    static Duration duration(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Parses a rule-file duration like {@code 5m}, {@code 30s}, {@code 0s}. */
    public static Duration parseDuration(String field, String value) {
        Matcher m = DURATION.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            throw new RuleSyntaxException(field + " must be a duration like 30s, 5m, 1h or 7d, got '" + value + "'", -1);
        }
        return duration(Long.parseLong(m.group(1)), m.group(2));
    }
}
