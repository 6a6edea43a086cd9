package io.llmobservatory.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.llmobservatory.query.model.SpanView;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;

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
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads traces from Grafana Tempo's HTTP API with the tenant in {@code X-Scope-OrgID}: {@code /api/v2/traces/<id>}
 * (falling back to {@code /api/traces/<id>} on Tempo versions without v2) and {@code /api/search} with TraceQL.
 * Tempo answers in proto3 JSON (base64 ids, enum names; v1 wraps resource spans in {@code batches}); this converts
 * back to OTLP conventions and the API's span shape.
 */
public final class TempoClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");

    /** One hit of a TraceQL search. */
    public record TraceSummary(String traceId, String rootServiceName, String rootTraceName, long startTimeUnixNano,
                               long durationMs) {
    }

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    public TempoClient(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    /** The trace's spans, or empty when Tempo does not know the trace. */
    public Optional<List<SpanView>> trace(String tenant, String traceIdHex) {
        HttpResponse<String> v2 = get(tenant, "/api/v2/traces/" + traceIdHex);
        if (v2.statusCode() == 200) {
            return Optional.of(spans(JSON_tree(v2.body()).path("trace")));
        }
        if (v2.statusCode() != 404) {
            throw error(v2);
        }
        HttpResponse<String> v1 = get(tenant, "/api/traces/" + traceIdHex);
        if (v1.statusCode() == 404) {
            return Optional.empty();
        }
        if (v1.statusCode() != 200) {
            throw error(v1);
        }
        return Optional.of(spans(JSON_tree(v1.body())));
    }

    /** Trace ids matching a TraceQL query in [start, end). */
    public List<TraceSummary> search(String tenant, String traceql, Instant start, Instant end, int limit) {
        HttpResponse<String> response = get(tenant, "/api/search?q=" + URLEncoder.encode(traceql, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&limit=" + limit);
        if (response.statusCode() == 400) {
            throw new StoreException("Tempo refused the query: " + response.body().strip(), true);
        }
        if (response.statusCode() != 200) {
            throw error(response);
        }
        List<TraceSummary> out = new ArrayList<>();
        for (JsonNode t : JSON_tree(response.body()).path("traces")) {
            out.add(new TraceSummary(normaliseId(t.path("traceID").asText(), 16), t.path("rootServiceName").asText(""),
                    t.path("rootTraceName").asText(""), t.path("startTimeUnixNano").asLong(), t.path("durationMs").asLong()));
        }
        return out;
    }

    private HttpResponse<String> get(String tenant, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json").header("X-Scope-OrgID", tenant).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StoreException("Tempo unreachable at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while asking Tempo");
        }
    }

    private static StoreException error(HttpResponse<String> response) {
        return new StoreException("Tempo answered " + response.statusCode() + ": " + response.body().strip());
    }

    static List<SpanView> spans(JsonNode traceObject) {
        if (!traceObject.isObject()) {
            return List.of();
        }
        ObjectNode trace = ((ObjectNode) traceObject).deepCopy();
        if (trace.has("batches") && !trace.has("resourceSpans")) {
            trace.set("resourceSpans", trace.remove("batches"));
        }
        normalise(trace);
        TracesData.Builder data = TracesData.newBuilder();
        try {
            PARSER.merge(trace.toString(), data);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("unreadable trace from Tempo: " + e.getMessage());
        }
        return OtlpMapper.toSpans(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(data.getResourceSpansList())
                .build()).stream().map(SpanViews::of).toList();
    }

    /** Older Tempo field names to current OTLP ones, and ids Tempo may print as hex to base64. */
    private static void normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("instrumentationLibrarySpans")) {
                object.set("scopeSpans", object.remove("instrumentationLibrarySpans"));
            }
            if (object.has("instrumentationLibrary")) {
                object.set("scope", object.remove("instrumentationLibrary"));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (ID_FIELDS.contains(f.getKey()) && f.getValue().isTextual()) {
                    f.setValue(new TextNode(base64(f.getValue().asText())));
                } else {
                    normalise(f.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(TempoClient::normalise);
        }
    }

    private static String base64(String id) {
        if (id.matches("[0-9a-fA-F]{32}|[0-9a-fA-F]{16}")) {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id));
        }
        return id;
    }

    /** Search results give hex trace ids, sometimes without leading zeros. */
    private static String normaliseId(String hex, int bytes) {
        String lower = hex.toLowerCase();
        return "0".repeat(Math.max(0, bytes * 2 - lower.length())) + lower;
    }

    private static JsonNode JSON_tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new StoreException("unreadable answer from Tempo: " + e.getMessage());
        }
    }
}
