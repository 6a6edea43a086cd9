package io.llmobservatory.shared.model;

/** A span event, as stored. */
public record SpanEvent(long timeUnixNano, String name, Attributes attributes, int droppedAttributesCount) {
}
