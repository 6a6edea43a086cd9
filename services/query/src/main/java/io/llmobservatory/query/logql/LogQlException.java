package io.llmobservatory.query.logql;

/** A LogQL query that cannot be parsed or uses a construct this engine does not support; carries the column. */
public final class LogQlException extends RuntimeException {
    private final int column;

    public LogQlException(String message, int column) {
        super(message + " (at column " + column + ")");
        this.column = column;
    }

    public int column() {
        return column;
    }
}
