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
    private final List<PerSecondBudget> budgets;

    public CompositePolicy(String name, long maxTotalSpansPerSecond, List<Allocation> allocations) {
        this.name = name;
        this.allocations = List.copyOf(allocations);
        this.budgets = allocations.stream()
                .map(a -> new PerSecondBudget((long) (maxTotalSpansPerSecond * a.percent() / 100.0))).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Decision evaluate(TraceGroup trace) {
        for (int i = 0; i < allocations.size(); i++) {
            if (allocations.get(i).policy().evaluate(trace) == Decision.SAMPLE
                    && budgets.get(i).tryTake(trace.spans().size())) {
                return Decision.SAMPLE;
            }
        }
        return Decision.NOT_SAMPLE;
    }
}
