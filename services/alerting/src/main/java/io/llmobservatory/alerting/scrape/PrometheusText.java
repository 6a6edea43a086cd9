package io.llmobservatory.alerting.scrape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Prometheus text exposition format (what /q/metrics serves), read into samples; comments and types skipped. */
public final class PrometheusText {
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /** Parses every well-formed sample line; a malformed line is skipped, never fails the whole scrape. */
    public static List<Sample> parse(String body) {
        List<Sample> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = sample(l);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            return null;
        }
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String key = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (j < line.length() && line.charAt(j) != '"') {
                    char c = line.charAt(j++);
                    if (c == '\\' && j < line.length()) {
                        char n = line.charAt(j++);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    return null;
                }
                labels.put(key, value.toString());
                i = j + 1;
                while (i < line.length() && (line.charAt(i) == ',' || Character.isWhitespace(line.charAt(i)))) {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(Math.min(i, line.length())).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        try {
            double v = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
            return new Sample(name, Map.copyOf(labels), v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
