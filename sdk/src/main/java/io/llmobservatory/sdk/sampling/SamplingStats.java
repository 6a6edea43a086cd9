package io.llmobservatory.sdk.sampling;

/**
 * What the priority sampler decided so far.
 *
 * @param keptError    traces kept for an error span
 * @param keptSlow     traces kept for a slow LLM span
 * @param keptBase     ordinary traces kept by the base rate
 * @param dropped      traces dropped
 * @param spansKept    spans passed on to export
 * @param spansDropped spans dropped, those of late arrivals to dropped traces included
 * @param decidedEarly traces decided before their local root ended (buffer full or too old)
 * @param buffered     spans held now, their traces undecided
 */
public record SamplingStats(long keptError, long keptSlow, long keptBase, long dropped, long spansKept,
                            long spansDropped, long decidedEarly, long buffered) {
    public long kept() {
        return keptError + keptSlow + keptBase;
    }
}
