package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

import java.util.List;

/** Samples a trace only when every sub-policy does. */
public record AndPolicy(String name, List<SamplingPolicy> policies) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        for (SamplingPolicy p : policies) {
            if (p.evaluate(trace) != Decision.SAMPLE) {
                return Decision.NOT_SAMPLE;
            }
        }
        return Decision.SAMPLE;
    }
}
