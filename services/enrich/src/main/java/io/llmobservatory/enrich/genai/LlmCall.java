package io.llmobservatory.enrich.genai;

import java.math.BigDecimal;
import java.util.List;

/**
 * The canonical facts of one LLM call, whatever dialect the instrumentation spoke. Token counts are null when
 * the span did not report them. {@code inputTokens} includes cache reads and writes, {@code outputTokens}
 * includes reasoning tokens (OpenTelemetry convention).
 *
 * @param dialect         the highest-precedence dialect that recognised the call
 * @param sourceKeys      the attribute keys the facts were read from
 * @param providedCostUsd the cost the instrumentation reported itself, if any
 */
public record LlmCall(
        String traceId,
        String spanId,
        long startTimeUnixNano,
        long durationNanos,
        String serviceName,
        String provider,
        String operation,
        String requestModel,
        String responseModel,
        Long inputTokens,
        Long outputTokens,
        Long totalTokens,
        Long cacheReadTokens,
        Long cacheWriteTokens,
        Long reasoningTokens,
        List<String> finishReasons,
        int statusCode,
        String errorType,
        String userId,
        String sessionId,
        Double ttftMs,
        Double tokensPerSecond,
        BigDecimal providedCostUsd,
        String dialect,
        List<String> sourceKeys) {

    /** The model the call is reported and priced under: the exact response model when known. */
    public String model() {
        return responseModel != null ? responseModel : requestModel;
    }
}
