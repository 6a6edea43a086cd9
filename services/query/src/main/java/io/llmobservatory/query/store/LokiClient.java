package io.llmobservatory.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.query.model.LogView;
import io.llmobservatory.shared.loki.LokiFormat;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads logs from Grafana Loki's {@code /loki/api/v1/query_range} with the tenant in {@code X-Scope-OrgID}. Values are
 * {@code [ns, line]} or {@code [ns, line, structured metadata]}; lines may be {@link LokiFormat} envelopes (Loki before
 * 3.0). Labels and metadata become the record's attributes, {@code trace_id}, {@code span_id}, {@code severity},
 * {@code service_name} its fields. Never asks for more than {@code maxEntries} entries at once (Loki's
 * {@code max_entries_limit_per_query}, 5000 by default, refuses more); larger answers are read in pages.
 */
public final class LokiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error", "fatal"};

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxEntries;
    /** Whether this Loki keeps structured metadata; null until its buildinfo was read. */
    private volatile Boolean structuredMetadata;

    public LokiClient(String baseUrl, Duration timeout, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the Loki page size must be positive, got " + maxEntries);
        }
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.maxEntries = maxEntries;
    }

    /** The most entries asked of Loki in one request. */
    public int maxEntries() {
        return maxEntries;
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

    /**
     * Forwards a Loki API request as it came (for Grafana's Loki data source pointed at the query service). A 400 is
     * the caller's query refused ({@link StoreException#refusedQuery()}).
     */
    public String raw(String tenant, String pathAndQuery) {
        HttpResponse<String> response = get(tenant, pathAndQuery);
        if (response.statusCode() != 200) {
            throw new StoreException("Loki answered " + response.statusCode() + ": " + response.body().strip(),
                    response.statusCode() == 400);
        }
        return response.body();
    }

    /** The records of one trace in [start, end), newest first, at most {@code limit}. */
    public List<LogView> ofTrace(String tenant, String traceIdHex, Instant start, Instant end, int limit) {
        boolean metadata = structuredMetadata(tenant);
        List<LogView> all = queryRange(tenant, LokiFormat.traceQuery(traceIdHex, metadata), start, end, limit);
        // Before Loki 3 the query is a line filter on the id: keep the records that belong to the trace.
        return metadata ? all : all.stream().filter(l -> traceIdHex.equals(l.traceId())).toList();
    }

    /**
     * Records matching {@code logql} in [start, end), newest first, at most {@code limit}: pages of at most
     * {@code maxEntries} backwards from {@code end}, each ending just after the last one's oldest time, so records
     * at that time are read again (and skipped: they are asked for on top of what is missing).
     */
    public List<LogView> queryRange(String tenant, String logql, Instant start, Instant end, int limit) {
        long startNs = nanos(start);
        long endNs = nanos(end);
        List<LogView> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int again = 0;
        while (out.size() < limit) {
            int page = Math.min(maxEntries, limit - out.size() + again);
            List<LogView> entries = page(tenant, logql, startNs, endNs, page);
            long oldest = Long.MAX_VALUE;
            int added = 0;
            for (LogView entry : entries) {
                oldest = Math.min(oldest, entry.timeUnixNano());
                if (seen.add(entry.timeUnixNano() + "\u0000" + entry.body() + "\u0000" + entry.attributes())) {
                    out.add(entry);
                    added++;
                }
            }
            // Fewer than asked: nothing older. Nothing new: more records share one time than a page holds.
            if (entries.size() < page || added == 0) {
                break;
            }
            long at = oldest;
            again = (int) entries.stream().filter(e -> e.timeUnixNano() == at).count();
            endNs = oldest + 1;
        }
        out.sort(Comparator.comparingLong(LogView::timeUnixNano).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    private List<LogView> page(String tenant, String logql, long startNs, long endNs, int limit) {
        String path = "/loki/api/v1/query_range?query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8)
                + "&start=" + startNs + "&end=" + endNs + "&limit=" + limit + "&direction=backward";
        HttpResponse<String> response = get(tenant, path);
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
                String body = value.get(1).asText();
                var envelope = LokiFormat.unwrap(body);
                if (envelope.isPresent()) {
                    body = envelope.get().body();
                    attributes.putAll(envelope.get().metadata());
                }
                long ns = Long.parseLong(value.get(0).asText());
                String trace = (String) attributes.remove("trace_id");
                String span = (String) attributes.remove("span_id");
                String event = (String) attributes.remove("event_name");
                String service = String.valueOf(attributes.getOrDefault("service_name", ""));
                String severity = String.valueOf(attributes.getOrDefault("severity", ""));
                Object number = attributes.remove(LokiFormat.SEVERITY_NUMBER);
                out.add(new LogView(Instant.ofEpochSecond(0, ns).toString(), ns,
                        number != null ? Integer.parseInt(number.toString()) : severityNumber(severity), severity,
                        body, attributes, trace, span, event == null ? "" : event, service, Map.of()));
            }
        }
        return out;
    }

    /**
     * Whether this Loki keeps structured metadata (3.0 and later), from {@code /loki/api/v1/status/buildinfo}, read
     * once. As enrich decides: a version that is not a release number (a build without version flags), or no
     * buildinfo at all, means the envelope.
     */
    boolean structuredMetadata(String tenant) {
        Boolean known = structuredMetadata;
        if (known == null) {
            HttpResponse<String> response = get(tenant, "/loki/api/v1/status/buildinfo");
            if (response.statusCode() == 404) {
                known = false;
            } else if (response.statusCode() != 200) {
                throw new StoreException("Loki answered " + response.statusCode() + " to buildinfo: "
                        + response.body().strip());
            } else {
                known = LokiFormat.structuredMetadata(response.body()).orElse(false);
            }
            structuredMetadata = known;
        }
        return known;
    }

    private HttpResponse<String> get(String tenant, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("X-Scope-OrgID", tenant).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StoreException("Loki unreachable at " + baseUrl + ": " + (e.getMessage() == null ? e : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while asking Loki");
        }
    }

    private static int severityNumber(String level) {
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(level)) {
                return i * 4 + 1;
            }
        }
        return 0;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
