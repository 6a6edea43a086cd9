package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

/** Samples traces lasting at least {@code thresholdMs} (and below {@code upperThresholdMs} when set, > 0). */
public record LatencyPolicy(String name, long thresholdMs, long upperThresholdMs) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        double ms = trace.durationNanos() / 1e6;
        boolean above = ms >= thresholdMs;
        boolean below = upperThresholdMs <= 0 || ms < upperThresholdMs;
        return above && below ? Decision.SAMPLE : Decision.NOT_SAMPLE;
    }
}
