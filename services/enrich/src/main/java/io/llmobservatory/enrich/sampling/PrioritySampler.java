package io.llmobservatory.enrich.sampling;

import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Head sampling by priority, per trace: error traces at {@code errorRate}, slow and expensive traces always,
 * the rest at {@code baseRate}. The probabilistic part is derived from the trace id, so every batch and replica
 * makes the same decision for a trace; the error/slow/cost promotion sees the spans of the trace in the same batch
 * (use tail sampling to decide on whole traces that arrive over several batches).
 */
public final class PrioritySampler implements SpanSampler {
    private final double baseRate;
    private final double errorRate;
    private final long slowThresholdNanos;
    private final BigDecimal costThreshold;
    private final Counter sampled;
    private final Counter notSampled;

    public PrioritySampler(double baseRate, double errorRate, long slowThresholdMs, BigDecimal costThreshold,
                           MeterRegistry registry) {
        if (baseRate < 0 || baseRate > 1) {
            throw new IllegalArgumentException("observatory.enrich.sampling.priority.base-rate must be between 0 and 1, got " + baseRate);
        }
        if (errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("observatory.enrich.sampling.priority.error-rate must be between 0 and 1, got " + errorRate);
        }
        if (slowThresholdMs <= 0) {
            throw new IllegalArgumentException("observatory.enrich.sampling.priority.slow-threshold-ms must be > 0, got " + slowThresholdMs);
        }
        if (costThreshold.signum() < 0) {
            throw new IllegalArgumentException("observatory.enrich.sampling.priority.cost-threshold-usd must be >= 0");
        }
        this.baseRate = baseRate;
        this.errorRate = errorRate;
        this.slowThresholdNanos = slowThresholdMs * 1_000_000L;
        this.costThreshold = costThreshold;
        this.sampled = decisions(registry, "sampled");
        this.notSampled = decisions(registry, "not_sampled");
    }

    static Counter decisions(MeterRegistry registry, String decision) {
        return Counter.builder("observatory.enrich.sampling.decisions").description("Trace sampling decisions")
                .tag("decision", decision).register(registry);
    }

    @Override
    public List<SpanRecord> sample(String tenant, List<SpanRecord> spans, Map<String, BigDecimal> costs) {
        List<SpanRecord> keep = new ArrayList<>(spans.size());
        for (TraceGroup trace : TraceGroup.of(spans, costs)) {
            if (keep(trace)) {
                keep.addAll(trace.spans());
                sampled.increment();
            } else {
                notSampled.increment();
            }
        }
        return keep;
    }

    boolean keep(TraceGroup trace) {
        double h = trace.hash();
        if (trace.hasError()) {
            return h < errorRate;
        }
        return trace.durationNanos() >= slowThresholdNanos || trace.cost().compareTo(costThreshold) >= 0
                || h < baseRate;
    }
}
