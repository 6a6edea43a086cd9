package io.llmobservatory.query.model;

import java.math.BigDecimal;

/**
 * Cost and usage of one model over a window. {@code costUsd} sums the priced calls only; {@code unpricedRequests}
 * says how many calls had no known price (their cost is unknown, not zero).
 */
public record ModelCost(
        String model,
        String provider,
        long requests,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        BigDecimal costUsd,
        long unpricedRequests,
        double avgLatencyMs) {
}
