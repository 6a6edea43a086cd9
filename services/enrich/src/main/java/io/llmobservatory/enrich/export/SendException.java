package io.llmobservatory.enrich.export;

/** A failed send; {@code retryable} when the same batch may succeed later (outage, throttling). */
public final class SendException extends RuntimeException {
    private final boolean retryable;

    public SendException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
