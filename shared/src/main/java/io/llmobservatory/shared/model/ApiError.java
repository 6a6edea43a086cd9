package io.llmobservatory.shared.model;

/**
 * The one JSON error body of every service's own REST API: {@code {"status": 400, "error": "bad_request",
 * "message": "..."}}, with {@code error} named from the status by {@link #name(int)} so every service spells it alike.
 * (OTLP/HTTP answers stay the protocol's {@code google.rpc.Status}.)
 */
public record ApiError(int status, String error, String message) {

    public static ApiError of(int status, String message) {
        return new ApiError(status, name(status), message);
    }

    /** The error name every service uses for a status. */
    public static String name(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }
}
