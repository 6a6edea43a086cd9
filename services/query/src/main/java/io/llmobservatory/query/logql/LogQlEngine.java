package io.llmobservatory.query.logql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the LogQL subset over a {@link LogSource}: selectors and leading line filters are pushed down, the rest
 * of the pipeline runs here; metric queries are evaluated at each step like Loki's query_range. Answers have Loki's
 * JSON shape ({@code streams} or {@code matrix}).
 */
public final class LogQlEngine {
    /** Lines a log query evaluates at most (its answer then takes the newest {@code limit}). */
    public static final int MAX_LOG_LINES = 20_000;
    /** Lines a metric query evaluates at most. */
    public static final int MAX_METRIC_LINES = 200_000;
    private static final Set<String> PUSHED_LABELS = Set.of("service_name", "severity");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE_FIELD = Pattern.compile("\\{\\{\\s*\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private final LogSource source;

    public LogQlEngine(LogSource source) {
        this.source = source;
    }

    /** A Loki query_range answer's {@code data} object. */
    public Map<String, Object> queryRange(String tenant, Ast query, Instant start, Instant end, Duration step, int limit,
                                          boolean backward) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (query instanceof Ast.LogQuery q) {
            data.put("resultType", "streams");
            data.put("result", streams(run(tenant, q, start, end, backward, MAX_LOG_LINES, false), limit));
        } else {
            data.put("resultType", "matrix");
            List<Series> series = metric(tenant, (Ast.Metric) query, start, end, step);
            List<Map<String, Object>> result = new ArrayList<>();
            for (Series s : series) {
                List<List<Object>> values = new ArrayList<>();
                // [unix seconds, "value"], as Loki answers: whole seconds as integers
                s.points.forEach((t, v) -> values.add(List.of(t % 1000 == 0 ? (Object) (t / 1000) : (Object) (t / 1000.0),
                        format(v))));
                result.add(Map.of("metric", s.labels, "values", values));
            }
            data.put("result", result);
        }
        return data;
    }

    private record Entry(long time, String line, Map<String, String> labels) {
    }

    /** @param strict fail when more than {@code max} lines match (metrics must see them all); else keep the first */
    private List<Entry> run(String tenant, Ast.LogQuery q, Instant from, Instant to, boolean newestFirst, int max,
                            boolean strict) {
        List<Ast.LabelMatcher> pushed = q.selector().stream().filter(m -> PUSHED_LABELS.contains(m.name())).toList();
        List<Ast.LabelMatcher> local = q.selector().stream().filter(m -> !PUSHED_LABELS.contains(m.name())).toList();
        List<Ast.LineFilter> leading = new ArrayList<>();
        for (Ast.Stage s : q.pipeline()) {
            if (!(s instanceof Ast.LineFilter f)) {
                break;
            }
            leading.add(f);
        }
        List<LogSource.Line> lines = source.fetch(new LogSource.Request(tenant, from, to, pushed, leading, newestFirst, max));
        if (lines.size() > max) {
            if (strict) {
                throw new LogSource.TooManyLines(max);
            }
            lines = lines.subList(0, max);
        }
        List<Entry> out = new ArrayList<>();
        for (LogSource.Line l : lines) {
            Map<String, String> labels = new TreeMap<>(l.labels());
            if (!local.stream().allMatch(m -> matches(labels.get(m.name()), m.op(), m.value()))) {
                continue;
            }
            String line = l.line();
            boolean keep = true;
            for (Ast.Stage s : q.pipeline().subList(leading.size(), q.pipeline().size())) {
                if (s instanceof Ast.LineFilter f) {
                    keep = lineMatches(line, f);
                } else if (s instanceof Ast.Json) {
                    json(line, labels);
                } else if (s instanceof Ast.LabelFilter f) {
                    keep = labelMatches(labels.get(f.name()), f);
                } else if (s instanceof Ast.LineFormat f) {
                    line = format(f.template(), labels);
                }
                if (!keep) {
                    break;
                }
            }
            if (keep) {
                out.add(new Entry(l.timeUnixNano(), line, labels));
            }
        }
        return out;
    }

    private static List<Map<String, Object>> streams(List<Entry> entries, int limit) {
        Map<Map<String, String>, List<List<String>>> streams = new LinkedHashMap<>();
        for (Entry e : entries.subList(0, Math.min(limit, entries.size()))) {
            streams.computeIfAbsent(e.labels(), k -> new ArrayList<>()).add(List.of(Long.toString(e.time()), e.line()));
        }
        List<Map<String, Object>> result = new ArrayList<>();
        streams.forEach((labels, values) -> result.add(Map.of("stream", labels, "values", values)));
        return result;
    }

    /** A time series: labels and a value per step (epoch millis). */
    private record Series(Map<String, String> labels, TreeMap<Long, Double> points) {
    }

    private List<Series> metric(String tenant, Ast.Metric m, Instant start, Instant end, Duration step) {
        if (m instanceof Ast.RangeAggregation r) {
            List<Entry> entries = run(tenant, r.query(), start.minus(r.range()), end.plusNanos(1), false, MAX_METRIC_LINES, true);
            Map<Map<String, String>, List<Long>> byLabels = new LinkedHashMap<>();
            entries.forEach(e -> byLabels.computeIfAbsent(e.labels(), k -> new ArrayList<>()).add(e.time()));
            List<Series> out = new ArrayList<>();
            long rangeNs = r.range().toNanos();
            byLabels.forEach((labels, times) -> {
                TreeMap<Long, Double> points = new TreeMap<>();
                for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
                    long tn = t.getEpochSecond() * 1_000_000_000L + t.getNano();
                    long count = times.stream().filter(x -> x > tn - rangeNs && x <= tn).count();
                    if (count > 0) {
                        points.put(t.toEpochMilli(), r.function().equals("rate") ? count / (rangeNs / 1e9) : count);
                    }
                }
                out.add(new Series(labels, points));
            });
            return out;
        }
        if (m instanceof Ast.VectorAggregation v) {
            Map<Map<String, String>, List<Series>> groups = new LinkedHashMap<>();
            for (Series s : metric(tenant, v.inner(), start, end, step)) {
                Map<String, String> key = new TreeMap<>();
                v.by().forEach(l -> {
                    if (s.labels().containsKey(l)) {
                        key.put(l, s.labels().get(l));
                    }
                });
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
            List<Series> out = new ArrayList<>();
            groups.forEach((labels, members) -> {
                TreeMap<Long, List<Double>> at = new TreeMap<>();
                members.forEach(s -> s.points().forEach((t, x) -> at.computeIfAbsent(t, k -> new ArrayList<>()).add(x)));
                TreeMap<Long, Double> points = new TreeMap<>();
                at.forEach((t, xs) -> points.put(t, switch (v.function()) {
                    case "count" -> (double) xs.size();
                    case "min" -> xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                    case "max" -> xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                    case "avg" -> xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    default -> xs.stream().mapToDouble(Double::doubleValue).sum();
                }));
                out.add(new Series(labels, points));
            });
            return out;
        }
        Ast.Binary b = (Ast.Binary) m;
        List<Series> left = metric(tenant, b.left(), start, end, step);
        List<Series> right = metric(tenant, b.right(), start, end, step);
        List<Series> out = new ArrayList<>();
        for (Series l : left) {
            Series r = right.stream().filter(s -> s.labels().equals(l.labels())).findFirst()
                    .orElse(right.size() == 1 && right.get(0).labels().isEmpty() ? right.get(0) : null);
            if (r == null) {
                continue;
            }
            TreeMap<Long, Double> points = new TreeMap<>();
            l.points().forEach((t, x) -> {
                Double y = r.points().get(t);
                if (y != null && !(b.op().equals("/") && y == 0)) {
                    points.put(t, switch (b.op()) {
                        case "/" -> x / y;
                        case "*" -> x * y;
                        case "+" -> x + y;
                        default -> x - y;
                    });
                }
            });
            out.add(new Series(l.labels(), points));
        }
        return out;
    }

    static boolean matches(String actual, String op, String value) {
        return switch (op) {
            case "=" -> value.equals(actual == null ? "" : actual);
            case "!=" -> !value.equals(actual == null ? "" : actual);
            case "=~" -> Pattern.compile(value).matcher(actual == null ? "" : actual).matches();
            default -> !Pattern.compile(value).matcher(actual == null ? "" : actual).matches();
        };
    }

    static boolean lineMatches(String line, Ast.LineFilter f) {
        return switch (f.op()) {
            case "|=" -> line.contains(f.value());
            case "!=" -> !line.contains(f.value());
            case "|~" -> Pattern.compile(f.value()).matcher(line).find();
            default -> !Pattern.compile(f.value()).matcher(line).find();
        };
    }

    private static boolean labelMatches(String actual, Ast.LabelFilter f) {
        if (f.number() == null) {
            return matches(actual, f.op(), f.text());
        }
        if (actual == null) {
            return false;
        }
        double x;
        try {
            x = Double.parseDouble(actual);
        } catch (NumberFormatException e) {
            return false;
        }
        double v = f.number();
        return switch (f.op()) {
            case ">" -> x > v;
            case ">=" -> x >= v;
            case "<" -> x < v;
            case "<=" -> x <= v;
            case "=" -> x == v;
            default -> x != v;
        };
    }

    /** Loki's json parser: every field of a JSON object line becomes a label, nested keys joined with '_'. */
    private static void json(String line, Map<String, String> labels) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            labels.put("__error__", "JSONParserErr");
            return;
        }
        if (node != null && node.isObject()) {
            flatten("", node, labels);
        } else {
            labels.put("__error__", "JSONParserErr");
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> labels) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix + f.getKey().replaceAll("[^A-Za-z0-9_]", "_");
            if (f.getValue().isObject()) {
                flatten(key + "_", f.getValue(), labels);
            } else if (!f.getValue().isArray()) {
                labels.put(key, f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString());
            }
        }
    }

    private static String format(String template, Map<String, String> labels) {
        Matcher m = TEMPLATE_FIELD.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
