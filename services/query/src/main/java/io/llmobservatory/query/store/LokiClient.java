package io.llmobservatory.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.query.model.LogView;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads logs from Grafana Loki's {@code /loki/api/v1/query_range} with the tenant in {@code X-Scope-OrgID}. Values are
 * {@code [ns, line]} or {@code [ns, line, structured metadata]}; labels and metadata become the record's attributes,
 * and {@code trace_id}, {@code span_id}, {@code severity}, {@code service_name} its fields.
 */
public final class LokiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error", "fatal"};

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    public LokiClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    /** The selector for our own filters: a service (or any) and a minimum severity number. */
    public static String selector(String service, Integer minSeverity) {
        StringBuilder s = new StringBuilder("{service_name");
        s.append(service == null ? "=~\".+\"" : "=\"" + service.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        if (minSeverity != null && minSeverity > 1) {
            int from = Math.min(5, (minSeverity - 1) / 4);
            List<String> levels = new ArrayList<>();
            for (int i = from; i < LEVELS.length; i++) {
                levels.add(LEVELS[i]);
            }
            s.append(", severity=~\"").append(String.join("|", levels)).append('"');
        }
        return s.append('}').toString();
    }

    /** Forwards a Loki API request as it came (for Grafana's Loki data source pointed at the query service). */
    public String raw(String tenant, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                .header("X-Scope-OrgID", tenant).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new StoreException("Loki answered " + response.statusCode() + ": " + response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new StoreException("Loki unreachable at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while asking Loki");
        }
    }

    public List<LogView> queryRange(String tenant, String logql, Instant start, Instant end, int limit) {
        String path = "/loki/api/v1/query_range?query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8)
                + "&start=" + nanos(start) + "&end=" + nanos(end) + "&limit=" + limit + "&direction=backward";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("X-Scope-OrgID", tenant).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StoreException("Loki unreachable at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while asking Loki");
        }
        if (response.statusCode() != 200) {
            throw new StoreException("Loki answered " + response.statusCode() + ": " + response.body().strip());
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new StoreException("unreadable answer from Loki: " + e.getMessage());
        }
        List<LogView> out = new ArrayList<>();
        for (JsonNode stream : root.path("data").path("result")) {
            Map<String, Object> labels = new LinkedHashMap<>();
            stream.path("stream").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            for (JsonNode value : stream.path("values")) {
                Map<String, Object> attributes = new LinkedHashMap<>(labels);
                if (value.size() > 2) {
                    value.get(2).fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
                }
                long ns = Long.parseLong(value.get(0).asText());
                String trace = (String) attributes.remove("trace_id");
                String span = (String) attributes.remove("span_id");
                String event = (String) attributes.remove("event_name");
                String service = String.valueOf(attributes.getOrDefault("service_name", ""));
                String severity = String.valueOf(attributes.getOrDefault("severity", ""));
                Object number = attributes.remove("severity_number");
                out.add(new LogView(Instant.ofEpochSecond(0, ns).toString(), ns,
                        number != null ? Integer.parseInt(number.toString()) : severityNumber(severity), severity,
                        value.get(1).asText(), attributes, trace, span, event == null ? "" : event, service, Map.of()));
            }
        }
        out.sort(Comparator.comparingLong(LogView::timeUnixNano).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static int severityNumber(String level) {
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(level)) {
                return i * 4 + 1;
            }
        }
        return 0;
    }

    private static String nanos(Instant t) {
        return t.getEpochSecond() + String.format("%09d", t.getNano());
    }
}
