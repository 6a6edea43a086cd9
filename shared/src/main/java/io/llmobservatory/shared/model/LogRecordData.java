package io.llmobservatory.shared.model;

/**
 * One log record with its resource and scope. {@code body} is the Java form of the OTLP AnyValue (String, Long,
 * Double, Boolean, List, Map, or null). Ids are lower-case hex, empty when absent; times Unix nanoseconds.
 */
public record LogRecordData(
        long timeUnixNano,
        long observedTimeUnixNano,
        int severityNumber,
        String severityText,
        Object body,
        Attributes attributes,
        int droppedAttributesCount,
        int flags,
        String traceId,
        String spanId,
        String eventName,
        String serviceName,
        Attributes resourceAttributes,
        InstrumentationScope scope) {

    /** The record's time: its own timestamp, or when the collector observed it when the source set none. */
    public long effectiveTimeUnixNano() {
        return timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
    }

    public LogRecordData with(Object newBody, Attributes newAttributes, Attributes newResource) {
        return new LogRecordData(timeUnixNano, observedTimeUnixNano, severityNumber, severityText, newBody, newAttributes,
                droppedAttributesCount, flags, traceId, spanId, eventName, serviceName, newResource, scope);
    }
}
