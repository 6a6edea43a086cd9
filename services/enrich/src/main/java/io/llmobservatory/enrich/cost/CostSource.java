package io.llmobservatory.enrich.cost;

/** Where a call's cost came from. */
public enum CostSource {
    /** Priced by us from a catalog. */
    COMPUTED,
    /** Priced by us, with an operator override applied. */
    OVERRIDE,
    /** The instrumentation's own figure, used because we had no price. */
    PROVIDED,
    /** No price known: the cost is unknown (NULL), never 0. */
    UNPRICED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
