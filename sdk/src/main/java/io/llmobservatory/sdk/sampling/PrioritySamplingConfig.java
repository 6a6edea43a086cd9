package io.llmobservatory.sdk.sampling;

import java.time.Duration;
import java.util.function.Function;

/**
 * The priority sampler's settings.
 *
 * @param baseRate         share of ordinary traces kept, by trace-id hash (default 0.001)
 * @param errorRate        share of traces with an error span kept (default 1.0)
 * @param slowThreshold    an LLM span at least this long keeps its trace (default 10 s)
 * @param maxBufferedSpans spans held while their traces are undecided; above it the oldest trace is decided early
 *                         with what is known (default 20 000)
 * @param maxTraceAge      a trace whose local root has not ended after this long is decided with what is known
 *                         (default 30 s)
 */
public record PrioritySamplingConfig(double baseRate, double errorRate, Duration slowThreshold, int maxBufferedSpans,
                                     Duration maxTraceAge) {
    public static final String ENABLED = "observatory.sampling.enabled";
    public static final String BASE_RATE = "observatory.sampling.base-rate";
    public static final String ERROR_RATE = "observatory.sampling.error-rate";
    public static final String SLOW_THRESHOLD_MS = "observatory.sampling.slow-threshold-ms";
    public static final String MAX_BUFFERED_SPANS = "observatory.sampling.max-buffered-spans";
    public static final String MAX_TRACE_AGE_MS = "observatory.sampling.max-trace-age-ms";

    public PrioritySamplingConfig {
        rate(baseRate, BASE_RATE);
        rate(errorRate, ERROR_RATE);
        if (slowThreshold == null || slowThreshold.isNegative()) {
            throw new IllegalArgumentException(SLOW_THRESHOLD_MS + " must be >= 0");
        }
        if (maxBufferedSpans < 1) {
            throw new IllegalArgumentException(MAX_BUFFERED_SPANS + " must be >= 1, got " + maxBufferedSpans);
        }
        if (maxTraceAge == null || maxTraceAge.isNegative() || maxTraceAge.isZero()) {
            throw new IllegalArgumentException(MAX_TRACE_AGE_MS + " must be > 0");
        }
    }

    public static PrioritySamplingConfig defaults() {
        return new PrioritySamplingConfig(0.001, 1.0, Duration.ofSeconds(10), 20_000, Duration.ofSeconds(30));
    }

    /** From a setting lookup ({@code key -> value or null}); unset keys keep their defaults. */
    public static PrioritySamplingConfig from(Function<String, String> settings) {
        PrioritySamplingConfig d = defaults();
        return new PrioritySamplingConfig(
                number(settings, BASE_RATE, d.baseRate()),
                number(settings, ERROR_RATE, d.errorRate()),
                Duration.ofMillis((long) number(settings, SLOW_THRESHOLD_MS, d.slowThreshold().toMillis())),
                (int) number(settings, MAX_BUFFERED_SPANS, d.maxBufferedSpans()),
                Duration.ofMillis((long) number(settings, MAX_TRACE_AGE_MS, d.maxTraceAge().toMillis())));
    }

    private static double number(Function<String, String> settings, String key, double fallback) {
        String v = settings.apply(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
        }
    }

    private static void rate(double rate, String key) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(key + " must be between 0 and 1, got " + rate);
        }
    }
}
