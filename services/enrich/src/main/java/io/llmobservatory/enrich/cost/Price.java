package io.llmobservatory.enrich.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * A price in USD per million tokens, optionally tiered. Tiers follow the providers' "cliff" rule (as genai-prices
 * and LiteLLM define it): once a call's input tokens exceed a tier's start, all its tokens of this kind are priced
 * at that tier's rate.
 */
public record Price(BigDecimal base, List<Tier> tiers) {

    public record Tier(long start, BigDecimal perMillion) {
    }

    public Price {
        tiers = tiers.stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList();
    }

    public static Price flat(BigDecimal perMillion) {
        return new Price(perMillion, List.of());
    }

    public static Price flat(String perMillion) {
        return flat(new BigDecimal(perMillion));
    }

    /** The rate per million tokens for a call with this many input tokens. */
    public BigDecimal rateFor(long inputTokens) {
        BigDecimal rate = base;
        for (Tier tier : tiers) {
            if (inputTokens > tier.start()) {
                rate = tier.perMillion();
            }
        }
        return rate;
    }
}
