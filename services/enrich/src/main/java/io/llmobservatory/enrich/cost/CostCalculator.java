package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.ProviderNames;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Prices a call. Input tokens include cache reads, cache writes and audio, output tokens include reasoning and
 * audio (OpenTelemetry and genai-prices agree), so: uncached text = input − cache reads − cache writes − audio;
 * plain output = output − reasoning − audio; each part at its own price, cache, reasoning and audio parts at the
 * input and output price when the model has no separate one. Audio is stored in the input and output parts of
 * the breakdown. The price is that of the model that answered ({@link LlmCall#pricedModel()}), not the one asked for.
 * Exact decimal arithmetic; stored with 12 decimal places.
 */
@ApplicationScoped
public class CostCalculator {
    private static final BigDecimal TOLERANCE_ABS = new BigDecimal("0.000001");
    private static final BigDecimal TOLERANCE_REL = new BigDecimal("0.01");

    private final PriceResolver prices;

    public CostCalculator(PriceResolver prices) {
        this.prices = prices;
    }

    public Cost price(String tenant, LlmCall call) {
        String model = call.pricedModel();
        BigDecimal provided = call.providedCostUsd();
        if (model == null) {
            return Cost.unpriced("no model reported", provided);
        }
        if (call.inputTokens() == null && call.outputTokens() == null) {
            return Cost.unpriced("no token usage reported", provided);
        }
        Instant time = Instant.ofEpochSecond(0, call.startTimeUnixNano());
        Optional<PriceResolver.Resolved> found = prices.resolve(tenant, call.provider(), model, time);
        if (found.isEmpty()) {
            return Cost.unpriced("model not in price catalogs " + String.join(", ", prices.versions()), provided);
        }
        PriceSet set = found.get().prices();
        if (!set.pricesTokens()) {
            return Cost.unpriced("no token prices for " + found.get().entry(), provided);
        }
        long input = nz(call.inputTokens());
        long output = nz(call.outputTokens());
        long cacheRead = Math.min(nz(call.cacheReadTokens()), input);
        long cacheWrite = Math.min(nz(call.cacheWriteTokens()), input - cacheRead);
        long audioIn = Math.min(nz(call.inputAudioTokens()), input - cacheRead - cacheWrite);
        long uncached = input - cacheRead - cacheWrite - audioIn;
        long reasoning = Math.min(nz(call.reasoningTokens()), output);
        long audioOut = Math.min(nz(call.outputAudioTokens()), output - reasoning);
        long plainOutput = output - reasoning - audioOut;

        BigDecimal inputCost = cost(uncached, set.input(), input)
                .add(cost(audioIn, set.inputAudio() != null ? set.inputAudio() : set.input(), input));
        BigDecimal cacheReadCost = cost(cacheRead, set.cacheRead() != null ? set.cacheRead() : set.input(), input);
        BigDecimal cacheWriteCost = cost(cacheWrite, set.cacheWrite() != null ? set.cacheWrite() : set.input(), input);
        BigDecimal outputCost = cost(plainOutput, set.output(), input)
                .add(cost(audioOut, set.outputAudio() != null ? set.outputAudio() : set.output(), input));
        BigDecimal reasoningCost = cost(reasoning, set.reasoning() != null ? set.reasoning() : set.output(), input);
        BigDecimal total = inputCost.add(cacheReadCost).add(cacheWriteCost).add(outputCost).add(reasoningCost);
        return new Cost(inputCost, cacheReadCost, cacheWriteCost, outputCost, reasoningCost, total,
                found.get().overridden() ? CostSource.OVERRIDE : CostSource.COMPUTED, found.get().version(),
                found.get().entry(), provided, disagrees(total, provided));
    }

    /**
     * The call with its provider taken from the price catalog when no dialect named one: the provider of the
     * catalog entry the model matches (the catalog's own model rules, e.g. {@code gpt-4o-mini-2024-07-18} is
     * OpenAI's), marked as inferred. Unchanged when a provider was reported or no catalog entry matches.
     */
    public LlmCall withInferredProvider(String tenant, LlmCall call) {
        if (call.provider() != null || call.pricedModel() == null) {
            return call;
        }
        Instant time = Instant.ofEpochSecond(0, call.startTimeUnixNano());
        return prices.resolve(tenant, null, call.pricedModel(), time)
                .map(PriceResolver.Resolved::provider)
                .map(ProviderNames::canonical)
                .map(call::withInferredProvider)
                .orElse(call);
    }

    static boolean disagrees(BigDecimal ours, BigDecimal provided) {
        if (provided == null) {
            return false;
        }
        BigDecimal diff = ours.subtract(provided).abs();
        return diff.compareTo(TOLERANCE_ABS) > 0 && diff.compareTo(ours.abs().multiply(TOLERANCE_REL)) > 0;
    }

    private static BigDecimal cost(long tokens, Price price, long inputTokens) {
        if (tokens == 0 || price == null) {
            return BigDecimal.ZERO;
        }
        // Prices are per million tokens: shifting the decimal point is exact and, unlike a division, cheap (the
        // division showed up in profiles of the write path).
        return BigDecimal.valueOf(tokens).multiply(price.rateFor(inputTokens)).movePointLeft(6);
    }

    private static long nz(Long v) {
        return v == null ? 0 : Math.max(0, v);
    }
}
