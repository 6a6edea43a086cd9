package io.llmobservatory.query.traceql;

/** A TraceQL query that cannot be parsed, is invalid, or uses a construct this engine does not support. */
public final class TraceQlException extends RuntimeException {
    private final int column;

    public TraceQlException(String message, int column) {
        super(message + " (at column " + column + ")");
        this.column = column;
    }

    /** 1-based column of the problem. */
    public int column() {
        return column;
    }
}
