package io.llmobservatory.enrich.recompute;

import java.math.BigDecimal;
import java.time.Instant;

/** The pricing inputs and current cost of one stored call, as recompute reads them. */
public record StoredCall(
        String tenant,
        String traceId,
        String spanId,
        Instant time,
        String provider,
        String requestModel,
        String responseModel,
        Long inputTokens,
        Long outputTokens,
        Long cacheReadTokens,
        Long cacheWriteTokens,
        Long reasoningTokens,
        Long inputAudioTokens,
        Long outputAudioTokens,
        BigDecimal providedCostUsd,
        BigDecimal costUsd,
        String costSource,
        String priceVersion,
        String priceSource) {
}
