package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

/** Samples traces while fewer than {@code spansPerSecond} spans were sampled in the current second. */
public final class RateLimitingPolicy implements SamplingPolicy {
    private final String name;
    private final PerSecondBudget budget;

    public RateLimitingPolicy(String name, long spansPerSecond) {
        this.name = name;
        this.budget = new PerSecondBudget(spansPerSecond);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Decision evaluate(TraceGroup trace) {
        return budget.tryTake(trace.spans().size()) ? Decision.SAMPLE : Decision.NOT_SAMPLE;
    }
}
