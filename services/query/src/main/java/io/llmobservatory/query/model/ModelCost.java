package io.llmobservatory.query.model;

import java.math.BigDecimal;

/**
 * Cost and usage of one model over a window. {@code costUsd} sums the calls with a cost; {@code unpricedRequests}
 * says how many had none (their cost is unknown, not zero), {@code providedCostRequests} how many are costed with
 * the instrumentation's own figure because no catalog knew the model, {@code costDisagreements} how many had an
 * instrumentation figure more than 1 % off ours.
 */
public record ModelCost(
        String model,
        String provider,
        long requests,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long reasoningTokens,
        BigDecimal costUsd,
        long unpricedRequests,
        long providedCostRequests,
        long costDisagreements,
        double avgLatencyMs) {
}
