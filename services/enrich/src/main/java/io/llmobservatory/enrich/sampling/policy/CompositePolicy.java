package io.llmobservatory.enrich.sampling.policy;

import io.llmobservatory.enrich.sampling.Decision;
import io.llmobservatory.enrich.sampling.SamplingPolicy;
import io.llmobservatory.enrich.sampling.TraceGroup;

import java.util.List;

/**
 * The Collector's composite policy: sub-policies in order, each with a share of {@code maxTotalSpansPerSecond};
 * the first sub-policy that samples the trace and still has budget this second takes it.
 */
public final class CompositePolicy implements SamplingPolicy {
    /** A sub-policy and its share of the spans-per-second budget, in percent. */
    public record Allocation(SamplingPolicy policy, double percent) {
    }

    private final String name;
    private final List<Allocation> allocations;
    private final long maxTotalSpansPerSecond;
    private final long[] spent;
    private long second = -1;

    public CompositePolicy(String name, long maxTotalSpansPerSecond, List<Allocation> allocations) {
        this.name = name;
        this.maxTotalSpansPerSecond = maxTotalSpansPerSecond;
        this.allocations = List.copyOf(allocations);
        this.spent = new long[allocations.size()];
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
            java.util.Arrays.fill(spent, 0);
        }
        for (int i = 0; i < allocations.size(); i++) {
            Allocation a = allocations.get(i);
            long budget = (long) (maxTotalSpansPerSecond * a.percent() / 100.0);
            if (a.policy().evaluate(trace) == Decision.SAMPLE && spent[i] + trace.spans().size() <= budget) {
                spent[i] += trace.spans().size();
                return Decision.SAMPLE;
            }
        }
        return Decision.NOT_SAMPLE;
    }
}
