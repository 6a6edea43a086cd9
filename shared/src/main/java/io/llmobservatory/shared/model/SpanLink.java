package io.llmobservatory.shared.model;

/** A link from a span to another span, ids in lower-case hex. */
public record SpanLink(String traceId, String spanId, String traceState, Attributes attributes,
                       int droppedAttributesCount, int flags) {
}
