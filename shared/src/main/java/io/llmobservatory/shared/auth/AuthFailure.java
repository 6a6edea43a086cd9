package io.llmobservatory.shared.auth;

/**
 * A request was not authorised. {@link Kind#UNAUTHENTICATED} (no key, unknown or revoked key: 401) never says
 * which; {@link Kind#PERMISSION_DENIED} (valid key, wrong scope or tenant: 403); {@link Kind#UNAVAILABLE} (the key
 * could not be checked right now: 503, retryable).
 */
public final class AuthFailure extends RuntimeException {
    public enum Kind { UNAUTHENTICATED, PERMISSION_DENIED, UNAVAILABLE }

    /** The one message for every unauthenticated request: it must not tell a caller why its key failed. */
    public static final String UNAUTHENTICATED_MESSAGE = "missing or invalid API key";

    private final Kind kind;

    private AuthFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public static AuthFailure unauthenticated() {
        return new AuthFailure(Kind.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE, null);
    }

    public static AuthFailure denied(String message) {
        return new AuthFailure(Kind.PERMISSION_DENIED, message, null);
    }

    public static AuthFailure unavailable(Throwable cause) {
        return new AuthFailure(Kind.UNAVAILABLE, "API keys cannot be checked right now; retry later", cause);
    }

    public Kind kind() {
        return kind;
    }
}
