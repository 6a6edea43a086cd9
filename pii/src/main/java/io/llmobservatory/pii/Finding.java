package io.llmobservatory.pii;

/** A stretch [start, end) of a text that a detector found sensitive, and its type (EMAIL, CREDIT_CARD, ...). */
public record Finding(int start, int end, String type) {
}
