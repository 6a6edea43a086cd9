package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;
import io.llmobservatory.shared.model.SpanRecord;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Samples traces with a span (or its resource) whose attribute {@code key} equals one of {@code values} or, with
 * {@code regex}, matches one of them; {@code invert} samples the traces that do not.
 */
public record StringAttributePolicy(String name, String key, List<String> values, List<Pattern> patterns,
                                    boolean invert) implements SamplingPolicy {
    @Override
    public Decision evaluate(TraceGroup trace) {
        boolean found = false;
        for (SpanRecord span : trace.spans()) {
            Optional<String> v = span.attributes().string(key).or(() -> span.resourceAttributes().string(key));
            if (v.isPresent() && (values.contains(v.get()) || patterns.stream().anyMatch(p -> p.matcher(v.get()).matches()))) {
                found = true;
                break;
            }
        }
        return found != invert ? Decision.SAMPLE : Decision.NOT_SAMPLE;
    }
}
