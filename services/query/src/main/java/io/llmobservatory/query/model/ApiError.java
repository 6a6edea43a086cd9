package io.llmobservatory.query.model;

/** The stable JSON error body of every failed request. */
public record ApiError(int status, String error, String message) {
}
