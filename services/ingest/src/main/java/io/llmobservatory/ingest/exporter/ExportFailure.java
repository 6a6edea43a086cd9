package io.llmobservatory.ingest.exporter;

import java.time.Duration;

/**
 * A batch was not stored. Retryable failures (enrich or the database unavailable, overloaded or too slow)
 * tell the client to send the same batch again after {@code retryAfter}; permanent ones never will succeed.
 */
public final class ExportFailure extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    private ExportFailure(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public static ExportFailure retryable(String message, Duration retryAfter, Throwable cause) {
        return new ExportFailure(message, true, retryAfter, cause);
    }

    public static ExportFailure permanent(String message, Throwable cause) {
        return new ExportFailure(message, false, Duration.ZERO, cause);
    }

    public boolean retryable() {
        return retryable;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
