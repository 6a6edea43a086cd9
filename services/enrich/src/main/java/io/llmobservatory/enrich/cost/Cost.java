package io.llmobservatory.enrich.cost;

import java.math.BigDecimal;

/**
 * The cost of one call in USD with its breakdown and provenance. Parts are null when unpriced.
 *
 * @param input      uncached input tokens
 * @param output     output tokens other than reasoning
 * @param version    catalog version used (null when unpriced)
 * @param entry      the catalog entry, or why there is no price
 * @param provided   the instrumentation's own figure, if it sent one
 * @param disagrees  ours and the provided figure differ by more than 1 % and a micro-dollar
 */
public record Cost(BigDecimal input, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output,
                   BigDecimal reasoning, BigDecimal total, CostSource source, String version, String entry,
                   BigDecimal provided, boolean disagrees) {

    public static Cost unpriced(String reason, BigDecimal provided) {
        if (provided != null) {
            return new Cost(null, null, null, null, null, provided, CostSource.PROVIDED, null,
                    "provided by the instrumentation; " + reason, provided, false);
        }
        return new Cost(null, null, null, null, null, null, CostSource.UNPRICED, null, reason, null, false);
    }

    public boolean priced() {
        return total != null;
    }

    /** Prompt side: uncached input plus cache reads and writes. */
    public BigDecimal prompt() {
        return input == null ? null : input.add(cacheRead).add(cacheWrite);
    }

    /** Completion side: output plus reasoning. */
    public BigDecimal completion() {
        return output == null ? null : output.add(reasoning);
    }
}
