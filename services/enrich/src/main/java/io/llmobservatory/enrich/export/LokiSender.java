package io.llmobservatory.enrich.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmobservatory.enrich.config.EnrichConfig.Stores.Loki.StructuredMetadata;
import io.llmobservatory.shared.loki.LokiFormat;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.semconv.AttributeKey;
import io.llmobservatory.shared.semconv.GenAiAttributes;

import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes (scrubbed) log records to Grafana Loki's {@code /loki/api/v1/push} with the tenant in {@code X-Scope-OrgID}.
 * Labels stay low-cardinality and tenant-safe (service_name, severity, provider, model); everything else, trace and
 * span ids included, is structured metadata on Loki 3.0 and later, and a {@link LokiFormat} JSON envelope line before
 * (Loki 2.x refuses structured metadata with 400). Which one is decided from {@code /loki/api/v1/status/buildinfo},
 * read before the first push. Timestamps are nanosecond strings.
 */
public final class LokiSender implements Sender<List<LogRecordData>> {
    private static final Logger LOG = Logger.getLogger(LokiSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey MODEL = GenAiAttributes.REQUEST_MODEL;

    private final String baseUrl;
    private final URI push;
    private final HttpClient http;
    private final Duration timeout;
    /** Whether pushes carry structured metadata; null until Loki's version is known. */
    private volatile Boolean structuredMetadata;

    public LokiSender(String baseUrl, Duration timeout, StructuredMetadata mode) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.push = URI.create(this.baseUrl + "/loki/api/v1/push");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.structuredMetadata = switch (mode) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> null;
        };
    }

    /**
     * Asks Loki its version, when configured to decide by it and not decided yet; completes with whether pushes carry
     * structured metadata. Fails (retryable) while Loki cannot be reached.
     */
    public CompletableFuture<Boolean> detect() {
        Boolean known = structuredMetadata;
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/loki/api/v1/status/buildinfo"))
                .timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new SendException("Loki unreachable at " + baseUrl + " (asking its version): "
                        + failure.getMessage(), true);
            }
            boolean metadata;
            if (response.statusCode() == 404) {
                metadata = false; // no buildinfo: an old Loki
            } else if (response.statusCode() == 200) {
                // A version that is no release number (a build without version flags) gets the envelope, which
                // every version accepts; structured-metadata=true forces metadata.
                metadata = LokiFormat.structuredMetadata(response.body()).orElse(false);
            } else {
                throw new SendException("Loki answered " + response.statusCode() + " asking its version: "
                        + response.body(), true);
            }
            if (!metadata) {
                LOG.warnf("Loki at %s (%s) is not a release >= 3.0, which structured metadata needs: log records are "
                        + "pushed as JSON envelope lines {\"body\": ..., \"trace_id\": ..., ...}; filter them in LogQL "
                        + "with | json (observatory.enrich.stores.loki.structured-metadata=true overrides)",
                        baseUrl, response.statusCode() == 200 ? response.body().strip() : "no buildinfo");
            }
            structuredMetadata = metadata;
            return metadata;
        });
    }

    @Override
    public String name() {
        return "loki";
    }

    @Override
    public int size(List<LogRecordData> batch) {
        return batch.size();
    }

    @Override
    public CompletableFuture<Void> send(String tenant, List<LogRecordData> batch) {
        return detect().thenCompose(metadata -> push(tenant, batch, metadata));
    }

    private CompletableFuture<Void> push(String tenant, List<LogRecordData> batch, boolean metadata) {
        HttpRequest request = HttpRequest.newBuilder(push).timeout(timeout)
                .header("Content-Type", "application/json").header("X-Scope-OrgID", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body(batch, metadata))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new SendException("Loki push failed: " + failure.getMessage(), true);
            }
            int code = response.statusCode();
            if (code / 100 == 2) {
                return null;
            }
            throw new SendException("Loki push answered " + code + ": " + response.body(), code == 429 || code >= 500);
        });
    }

    /**
     * The push body: one stream per label set, values {@code [ts, line, structured metadata]}, or without
     * {@code structuredMetadata} {@code [ts, envelope line]}.
     */
    static String body(List<LogRecordData> batch, boolean structuredMetadata) {
        Map<Map<String, String>, ArrayNode> streams = new LinkedHashMap<>();
        for (LogRecordData r : batch) {
            ArrayNode value = JSON.createArrayNode();
            long time = r.effectiveTimeUnixNano();
            value.add(Long.toUnsignedString(time != 0 ? time : System.currentTimeMillis() * 1_000_000L));
            Map<String, String> metadata = new LinkedHashMap<>();
            if (!r.traceId().isEmpty()) {
                metadata.put("trace_id", r.traceId());
            }
            if (!r.spanId().isEmpty()) {
                metadata.put("span_id", r.spanId());
            }
            if (!r.eventName().isEmpty()) {
                metadata.put("event_name", r.eventName());
            }
            metadata.put(LokiFormat.SEVERITY_NUMBER, String.valueOf(r.severityNumber()));
            r.attributes().asMap().forEach((k, v) -> metadata.put(k, v instanceof String s ? s : json(v)));
            if (structuredMetadata) {
                value.add(line(r.body()));
                ObjectNode node = value.addObject();
                metadata.forEach(node::put);
            } else {
                value.add(LokiFormat.envelope(line(r.body()), metadata));
            }
            streams.computeIfAbsent(labels(r), l -> JSON.createArrayNode()).add(value);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("streams");
        streams.forEach((labels, values) -> {
            ObjectNode stream = list.addObject();
            ObjectNode labelNode = stream.putObject("stream");
            labels.forEach(labelNode::put);
            stream.set("values", values);
        });
        return root.toString();
    }

    static Map<String, String> labels(LogRecordData r) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("service_name", r.serviceName());
        labels.put("severity", severity(r.severityNumber(), r.severityText()));
        r.attributes().string(GenAiAttributes.PROVIDER_NAME).or(() -> r.attributes().string(GenAiAttributes.SYSTEM))
                .ifPresent(p -> labels.put("provider", p.toLowerCase(Locale.ROOT)));
        r.attributes().string(MODEL).ifPresent(m -> labels.put("model", m));
        return labels;
    }

    /** OTLP severity numbers to Loki's level names (trace 1-4, debug 5-8, info 9-12, warn 13-16, error 17-20, fatal 21-24). */
    static String severity(int number, String text) {
        if (number <= 0) {
            return text == null || text.isBlank() ? "unknown" : text.toLowerCase(Locale.ROOT);
        }
        String[] levels = {"trace", "debug", "info", "warn", "error", "fatal"};
        return levels[Math.min(5, (number - 1) / 4)];
    }

    private static String line(Object body) {
        if (body == null) {
            return "";
        }
        return body instanceof String s ? s : json(body);
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (Exception e) {
            return String.valueOf(v);
        }
    }
}
