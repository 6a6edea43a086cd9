package io.llmobservatory.query.store;

/**
 * Tempo or Loki could not answer (down, refused, or answered something unreadable): 503 for the caller, unless the
 * store refused a query the caller wrote ({@link #refusedQuery()}: 400, the caller's to fix).
 */
public final class StoreException extends RuntimeException {
    private final boolean refusedQuery;

    public StoreException(String message) {
        this(message, false);
    }

    public StoreException(String message, boolean refusedQuery) {
        super(message);
        this.refusedQuery = refusedQuery;
    }

    /** The store answered 400 to a query passed on from the caller (bad TraceQL/LogQL, limit over its maximum). */
    public boolean refusedQuery() {
        return refusedQuery;
    }
}
