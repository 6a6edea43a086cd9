package io.llmobservatory.enrich.cost;

/**
 * The prices of one model at one time, each USD per million tokens and possibly absent. Cache and reasoning
 * tokens without a price of their own are charged at the input and output price, audio tokens likewise.
 */
public record PriceSet(Price input, Price output, Price cacheRead, Price cacheWrite, Price reasoning, Price inputAudio,
                       Price outputAudio) {

    public static final PriceSet EMPTY = new PriceSet(null, null, null, null, null, null, null);

    /** Text prices only (sources that price no audio). */
    public PriceSet(Price input, Price output, Price cacheRead, Price cacheWrite, Price reasoning) {
        this(input, output, cacheRead, cacheWrite, reasoning, null, null);
    }

    /** These prices with every field {@code over} sets replacing ours; the rest is inherited. */
    public PriceSet overlay(PriceSet over) {
        return new PriceSet(
                over.input != null ? over.input : input,
                over.output != null ? over.output : output,
                over.cacheRead != null ? over.cacheRead : cacheRead,
                over.cacheWrite != null ? over.cacheWrite : cacheWrite,
                over.reasoning != null ? over.reasoning : reasoning,
                over.inputAudio != null ? over.inputAudio : inputAudio,
                over.outputAudio != null ? over.outputAudio : outputAudio);
    }

    public boolean pricesTokens() {
        return input != null || output != null;
    }
}
