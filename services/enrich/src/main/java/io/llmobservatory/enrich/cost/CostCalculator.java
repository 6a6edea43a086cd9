package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.genai.LlmCall;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.Optional;

/**
 * Prices a call from the catalog. Input tokens include cache reads and writes (OpenTelemetry and genai-prices
 * agree), so uncached input = input - cache reads - cache writes; cache tokens without their own price are
 * charged the input price. Exact decimal arithmetic: no rounding until storage (12 decimal places).
 */
@ApplicationScoped
public class CostCalculator {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final PriceCatalog catalog;

    public CostCalculator(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    public Cost price(LlmCall call) {
        String model = call.model();
        if (model == null) {
            return Cost.unpriced("no model reported");
        }
        if (call.inputTokens() == null && call.outputTokens() == null) {
            return Cost.unpriced("no token usage reported");
        }
        Optional<ModelPrices> prices = catalog.find(call.provider(), model);
        if (prices.isEmpty()) {
            return Cost.unpriced("model not in price catalog " + catalog.version());
        }
        Instant time = Instant.ofEpochSecond(0, call.startTimeUnixNano());
        ModelPrices.PriceSet set = prices.get().pricesAt(time);
        if (set == null || (set.input() == null && set.output() == null)) {
            return Cost.unpriced("no token prices for " + prices.get().modelId() + " in " + catalog.version());
        }
        long input = nz(call.inputTokens());
        long output = nz(call.outputTokens());
        long cacheRead = Math.min(nz(call.cacheReadTokens()), input);
        long cacheWrite = Math.min(nz(call.cacheWriteTokens()), input - cacheRead);
        long uncached = input - cacheRead - cacheWrite;

        BigDecimal inputCost = cost(uncached, set.input(), input)
                .add(cost(cacheRead, set.cacheRead() != null ? set.cacheRead() : set.input(), input))
                .add(cost(cacheWrite, set.cacheWrite() != null ? set.cacheWrite() : set.input(), input));
        BigDecimal outputCost = cost(output, set.output(), input);
        String source = catalog.version() + ":" + prices.get().providerId() + "/" + prices.get().modelId();
        return new Cost(inputCost, outputCost, inputCost.add(outputCost), true, source);
    }

    private static BigDecimal cost(long tokens, ModelPrices.Price price, long inputTokens) {
        if (tokens == 0 || price == null) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(tokens).multiply(price.rateFor(inputTokens)).divide(MILLION, MathContext.DECIMAL128);
    }

    private static long nz(Long v) {
        return v == null ? 0 : Math.max(0, v);
    }
}
