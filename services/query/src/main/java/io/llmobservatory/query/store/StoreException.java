package io.llmobservatory.query.store;

/** Tempo or Loki could not answer (down, refused, or answered something unreadable): 503 for the caller. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }
}
