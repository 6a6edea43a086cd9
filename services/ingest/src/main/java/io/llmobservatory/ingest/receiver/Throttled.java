package io.llmobservatory.ingest.receiver;

import java.time.Duration;

/**
 * A request refused before it was worked on, to be retried after {@code retryAfter}: the tenant is over its rate
 * (gRPC RESOURCE_EXHAUSTED + RetryInfo, HTTP 429) or ingest holds as many bytes as it may (UNAVAILABLE + RetryInfo,
 * HTTP 503). Both carry Retry-After/RetryInfo, so OTLP exporters retry them.
 */
public final class Throttled extends RuntimeException {
    private final boolean rateLimited;
    private final Duration retryAfter;

    private Throttled(String message, boolean rateLimited, Duration retryAfter) {
        super(message, null, false, false);
        this.rateLimited = rateLimited;
        this.retryAfter = retryAfter;
    }

    static Throttled rateLimited(String tenant, double rate, Duration retryAfter) {
        return new Throttled("tenant '" + tenant + "' is over its rate limit of " + (long) rate
                + " items/s; retry after " + retryAfter.toSeconds() + " s", true, retryAfter);
    }

    static Throttled overloaded(Duration retryAfter) {
        return new Throttled("ingest is at its in-flight limit; retry after " + retryAfter.toSeconds() + " s", false,
                retryAfter);
    }

    public boolean rateLimited() {
        return rateLimited;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
