package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

/** Samples {@code percentage} % of traces, decided by the trace id so every replica agrees. */
public record ProbabilisticPolicy(String name, double percentage) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        return trace.hash() * 100.0 < percentage ? Decision.SAMPLE : Decision.NOT_SAMPLE;
    }
}
