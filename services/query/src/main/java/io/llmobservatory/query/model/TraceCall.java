package io.llmobservatory.query.model;

import java.math.BigDecimal;
import java.util.List;

/**
 * One LLM call of a trace as {@code GET /api/v1/traces/{traceId}/calls} shows it: the stored facts of the call
 * (tokens by kind, cost and the price it came from, time to first token, tokens per second), keyed by its span.
 * {@code model} is what the call is grouped under everywhere (the request model, else the response model);
 * {@code requestModel} is the model the application asked for, {@code responseModel} the one that answered and
 * priced the call (null when the call failed before an answer).
 */
public record TraceCall(String spanId, String model, String requestModel, String responseModel, String provider,
                        String operation, String dialect,
                        Long inputTokens, Long outputTokens, Long cacheReadTokens, Long cacheWriteTokens,
                        Long reasoningTokens, BigDecimal inputCostUsd, BigDecimal outputCostUsd, BigDecimal costUsd,
                        boolean priced, String priceSource, Double ttftMs, Double tokensPerSecond,
                        List<String> finishReasons, String user, String session, boolean error, String errorType,
                        double durationMs) {
}
