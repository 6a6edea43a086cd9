package io.llmobservatory.enrich.cost;

/**
 * The prices of one model at one time, each USD per million tokens and possibly absent. Cache and reasoning
 * tokens without a price of their own are charged at the input and output price.
 */
public record PriceSet(Price input, Price output, Price cacheRead, Price cacheWrite, Price reasoning) {

    public static final PriceSet EMPTY = new PriceSet(null, null, null, null, null);

    /** These prices with every field {@code over} sets replacing ours; the rest is inherited. */
    public PriceSet overlay(PriceSet over) {
        return new PriceSet(
                over.input != null ? over.input : input,
                over.output != null ? over.output : output,
                over.cacheRead != null ? over.cacheRead : cacheRead,
                over.cacheWrite != null ? over.cacheWrite : cacheWrite,
                over.reasoning != null ? over.reasoning : reasoning);
    }

    public boolean pricesTokens() {
        return input != null || output != null;
    }
}
