package io.llmobservatory.query.service;

/** A page of a list: {@code limit} rows from {@code offset}; limit capped at 1000. */
public record Page(int limit, int offset) {
    public static final int MAX = 1000;

    public static Page of(Integer limit, Integer offset, int defaultLimit) {
        int l = limit == null ? defaultLimit : limit;
        int o = offset == null ? 0 : offset;
        if (l < 1 || l > MAX) {
            throw new InvalidParameterException("limit must be between 1 and " + MAX + ", got " + l);
        }
        if (o < 0) {
            throw new InvalidParameterException("offset must not be negative, got " + o);
        }
        return new Page(l, o);
    }
}
