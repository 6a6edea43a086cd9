package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.genai.LlmCall;

import java.math.BigDecimal;

/**
 * The bounds of what the store holds for one LLM call, checked before the database so one span with a value it
 * cannot hold is refused alone (partial success) instead of failing its whole batch ("numeric field overflow").
 * The bounds leave room for the rollups' sums: token counts are bigint sums, costs numeric(24, 12) sums.
 */
public final class StorableCall {
    /** Tokens per call: ten billion, about a thousand times the largest context window; bigint sums of 9e8 calls. */
    public static final long MAX_TOKENS = 10_000_000_000L;
    /** USD per call and cost figure: a million; numeric(24, 12) sums of a million such calls. */
    public static final BigDecimal MAX_COST_USD = BigDecimal.valueOf(1_000_000);

    private StorableCall() {
    }

    /** Why the call cannot be stored, or null when it can. */
    public static String problem(LlmCall call, Cost cost) {
        String tokens = firstOf(tokens("input tokens", call.inputTokens()), tokens("output tokens", call.outputTokens()),
                tokens("total tokens", call.totalTokens()), tokens("cache read tokens", call.cacheReadTokens()),
                tokens("cache write tokens", call.cacheWriteTokens()), tokens("reasoning tokens", call.reasoningTokens()));
        if (tokens != null) {
            return tokens;
        }
        return firstOf(usd("provided cost", call.providedCostUsd()), usd("cost", cost.total()),
                usd("input cost", cost.input()), usd("output cost", cost.output()),
                usd("cache read cost", cost.cacheRead()), usd("cache write cost", cost.cacheWrite()),
                usd("reasoning cost", cost.reasoning()), usd("provided cost", cost.provided()));
    }

    private static String tokens(String what, Long n) {
        return n == null || (n >= -MAX_TOKENS && n <= MAX_TOKENS) ? null
                : what + " (" + n + ") outside the storable range of +/-" + MAX_TOKENS;
    }

    private static String usd(String what, BigDecimal usd) {
        return usd == null || usd.abs().compareTo(MAX_COST_USD) <= 0 ? null
                : what + " (" + usd.toEngineeringString() + " USD) outside the storable range of +/-"
                + MAX_COST_USD + " USD";
    }

    private static String firstOf(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
