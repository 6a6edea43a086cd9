package io.llmobservatory.query.model;

import java.util.List;
import java.util.Map;

/** A stored span as the API shows it: hex ids, RFC 3339 times plus exact nanoseconds, enum names. */
public record SpanView(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        String kind,
        String serviceName,
        String startTime,
        long startTimeUnixNano,
        long endTimeUnixNano,
        double durationMs,
        String statusCode,
        String statusMessage,
        Map<String, Object> attributes,
        List<Object> events,
        List<Object> links,
        Map<String, Object> resource,
        Scope scope,
        String traceState) {

    public record Scope(String name, String version, Map<String, Object> attributes) {
    }
}
