package io.llmobservatory.enrich.admin;

/** The JSON error body of the admin API (same shape as the query API's). */
public record ApiError(int status, String error, String message) {
}
