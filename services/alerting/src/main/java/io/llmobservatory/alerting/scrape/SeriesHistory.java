package io.llmobservatory.alerting.scrape;

import io.llmobservatory.alerting.rules.HealthExpr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scraped samples per series, kept as long as the longest rate window needs, and the health rules' values over
 * them: an instant operand is the latest sample (no older than the staleness limit), a rate is the increase over
 * the window's samples per second between the first and the last (counter resets counted as restarts from zero;
 * unlike Prometheus, not extrapolated to the window's edges).
 */
public final class SeriesHistory {
    private static final Duration STALE = Duration.ofMinutes(5);

    private record Point(Instant at, double value) {
    }

    private record Key(String name, Map<String, String> labels) {
    }

    private final Map<Key, Deque<Point>> series = new HashMap<>();
    private Duration keep = STALE;

    public synchronized void keepFor(Duration lookback) {
        keep = lookback.compareTo(STALE) > 0 ? lookback.plus(Duration.ofMinutes(1)) : STALE;
    }

    /** Adds one scrape's samples, labelled with the target's {@code instance}. */
    public synchronized void add(List<PrometheusText.Sample> samples, String instance, Instant at) {
        for (PrometheusText.Sample s : samples) {
            Map<String, String> labels = new TreeMap<>(s.labels());
            labels.put("instance", instance);
            series.computeIfAbsent(new Key(s.name(), Map.copyOf(labels)), k -> new ArrayDeque<>()).addLast(new Point(at, s.value()));
        }
        Instant cutoff = at.minus(keep);
        for (Iterator<Deque<Point>> it = series.values().iterator(); it.hasNext(); ) {
            Deque<Point> points = it.next();
            while (!points.isEmpty() && points.peekFirst().at().isBefore(cutoff)) {
                points.removeFirst();
            }
            if (points.isEmpty()) {
                it.remove();
            }
        }
    }

    /** The label sets (with instance) whose value meets the expression's condition at {@code now}, with the value. */
    public synchronized Map<Map<String, String>, Double> evaluate(HealthExpr expr, Instant now) {
        Map<Map<String, String>, Double> left = values(expr.left(), now);
        Map<Map<String, String>, Double> out = new HashMap<>();
        Map<Map<String, String>, Double> divisor = expr.divisor() == null ? null : values(expr.divisor(), now);
        left.forEach((labels, v) -> {
            double value = v;
            if (divisor != null) {
                Double d = divisor.get(labels);
                if (d == null || d == 0) {
                    return;
                }
                value = v / d;
            }
            if (!Double.isNaN(value) && expr.op().test(value, expr.threshold())) {
                out.put(labels, value);
            }
        });
        return out;
    }

    private Map<Map<String, String>, Double> values(HealthExpr.Operand operand, Instant now) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        series.forEach((key, points) -> {
            if (!operand.selector().matches(key.name(), key.labels()) || points.isEmpty()) {
                return;
            }
            Double v = operand.rateWindow() == null ? latest(points, now) : rate(points, operand.rateWindow(), now);
            if (v != null) {
                out.merge(key.labels(), v, Double::sum);
            }
        });
        return out;
    }

    private static Double latest(Deque<Point> points, Instant now) {
        Point last = points.peekLast();
        return last.at().isBefore(now.minus(STALE)) ? null : last.value();
    }

    static Double rate(Iterable<Point> points, Duration window, Instant now) {
        Instant from = now.minus(window);
        Point first = null;
        Point previous = null;
        double increase = 0;
        for (Point p : points) {
            if (p.at().isBefore(from) || p.at().isAfter(now)) {
                continue;
            }
            if (first == null) {
                first = p;
            } else {
                increase += p.value() >= previous.value() ? p.value() - previous.value() : p.value();
            }
            previous = p;
        }
        if (first == null || previous == first) {
            return null;
        }
        double seconds = Duration.between(first.at(), previous.at()).toMillis() / 1000.0;
        return seconds <= 0 ? null : increase / seconds;
    }
}
