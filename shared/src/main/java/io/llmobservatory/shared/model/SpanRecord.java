package io.llmobservatory.shared.model;

import java.util.List;

/**
 * One span with everything OTLP carried for it, flattened with its resource and scope. Ids are lower-case
 * hex; times are Unix nanoseconds. {@code kind} and {@code statusCode} hold the OTLP enum numbers.
 */
public record SpanRecord(
        String traceId,
        String spanId,
        String parentSpanId,
        String traceState,
        int flags,
        String name,
        int kind,
        long startTimeUnixNano,
        long endTimeUnixNano,
        int statusCode,
        String statusMessage,
        String serviceName,
        Attributes attributes,
        int droppedAttributesCount,
        List<SpanEvent> events,
        int droppedEventsCount,
        List<SpanLink> links,
        int droppedLinksCount,
        Attributes resourceAttributes,
        InstrumentationScope scope) {

    public static final int STATUS_UNSET = 0;
    public static final int STATUS_OK = 1;
    public static final int STATUS_ERROR = 2;

    /** This span with other attributes (e.g. with the pipeline's cost attributes added). */
    public SpanRecord withAttributes(Attributes newAttributes) {
        return new SpanRecord(traceId, spanId, parentSpanId, traceState, flags, name, kind, startTimeUnixNano,
                endTimeUnixNano, statusCode, statusMessage, serviceName, newAttributes, droppedAttributesCount, events,
                droppedEventsCount, links, droppedLinksCount, resourceAttributes, scope);
    }

    public long durationNanos() {
        return endTimeUnixNano - startTimeUnixNano;
    }
}
