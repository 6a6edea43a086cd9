package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;
import io.llmobservatory.shared.model.SpanRecord;

import java.util.Set;

/** Samples traces with a span whose status is one of the given codes (ERROR, OK, UNSET). */
public record StatusCodePolicy(String name, Set<Integer> codes) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        for (SpanRecord span : trace.spans()) {
            if (codes.contains(span.statusCode())) {
                return Decision.SAMPLE;
            }
        }
        return Decision.NOT_SAMPLE;
    }
}
