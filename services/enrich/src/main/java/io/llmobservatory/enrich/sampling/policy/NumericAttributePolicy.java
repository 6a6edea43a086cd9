package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.AttributeKey;

import java.util.Optional;

/** Samples traces with a span whose numeric attribute {@code key} lies in [min, max]. */
public record NumericAttributePolicy(String name, String key, double min, double max) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        AttributeKey k = AttributeKey.doubleKey(key);
        for (SpanRecord span : trace.spans()) {
            Optional<Double> v = span.attributes().decimal(k);
            if (v.isPresent() && v.get() >= min && v.get() <= max) {
                return Decision.SAMPLE;
            }
        }
        return Decision.NOT_SAMPLE;
    }
}
