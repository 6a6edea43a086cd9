package io.llmobservatory.alerting.rules;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A health rule's condition in the deliberately small rule form: {@code rate(metric{l="v"}[5m]) > 100},
 * {@code metric > 2000}, or the ratio {@code a / b > 0.8}; each operand an instant value or a per-second rate. It is
 * valid PromQL too ({@link #toPromQl()}), so a cluster Prometheus evaluates the same rule. Metric names match both
 * spellings, with and without the {@code _total} suffix Prometheus gives counters.
 */
public record HealthExpr(Operand left, Operand divisor, Comparison op, double threshold) {

    public record Selector(String name, Map<String, String> labels) {
        /** The name without a trailing {@code _total}: series named either way match. */
        public String baseName() {
            return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        }

        public boolean matches(String series, Map<String, String> seriesLabels) {
            String base = baseName();
            if (!series.equals(base) && !series.equals(base + "_total")) {
                return false;
            }
            return labels.entrySet().stream().allMatch(e -> e.getValue().equals(seriesLabels.getOrDefault(e.getKey(), "")));
        }

        String toPromQl() {
            String matchers = labels.entrySet().stream().map(e -> e.getKey() + "=\"" + escape(e.getValue()) + "\"")
                    .collect(Collectors.joining(","));
            return "{__name__=~\"" + baseName() + "(_total)?\"" + (matchers.isEmpty() ? "" : "," + matchers) + "}";
        }
    }

    /** An instant value ({@code rateWindow} null) or its per-second rate over the window. */
    public record Operand(Selector selector, Duration rateWindow) {
        String toPromQl() {
            return rateWindow == null ? selector.toPromQl()
                    : "rate(" + selector.toPromQl() + "[" + promDuration(rateWindow) + "])";
        }
    }

    public enum Comparison {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
                case EQ -> value == threshold;
                case NE -> value != threshold;
            };
        }
    }

    /** The longest rate window the expression needs (how much sample history to keep). */
    public Duration lookback() {
        Duration a = left.rateWindow() == null ? Duration.ZERO : left.rateWindow();
        Duration b = divisor == null || divisor.rateWindow() == null ? Duration.ZERO : divisor.rateWindow();
        return a.compareTo(b) >= 0 ? a : b;
    }

    public String toPromQl() {
        return left.toPromQl() + (divisor == null ? "" : " / " + divisor.toPromQl()) + " " + op.symbol + " "
                + formatNumber(threshold);
    }

    static String promDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
