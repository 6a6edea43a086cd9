package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

/** Samples traces while fewer than {@code spansPerSecond} spans were sampled in the current second. */
public final class RateLimitingPolicy implements SamplingPolicy {
    private final String name;
    private final long spansPerSecond;
    private long second = -1;
    private long spent;

    public RateLimitingPolicy(String name, long spansPerSecond) {
        this.name = name;
        this.spansPerSecond = spansPerSecond;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Decision evaluate(TraceGroup trace) {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            spent = 0;
        }
        if (spent + trace.spans().size() <= spansPerSecond) {
            spent += trace.spans().size();
            return Decision.SAMPLE;
        }
        return Decision.NOT_SAMPLE;
    }
}
