package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

import java.math.BigDecimal;

/** Samples traces whose LLM calls cost at least {@code minUsd} together. */
public record CostPolicy(String name, BigDecimal minUsd) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        return trace.cost().compareTo(minUsd) >= 0 ? Decision.SAMPLE : Decision.NOT_SAMPLE;
    }
}
