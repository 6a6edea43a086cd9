package io.llmobservatory.enrich.storage;

/**
 * A batch could not be stored. {@code retryable} says whether the same batch may succeed later (the database is
 * down or overloaded) or never will (the data itself was refused).
 */
public final class StorageException extends RuntimeException {
    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
