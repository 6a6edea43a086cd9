package io.llmobservatory.enrich.genai;

import java.util.List;

/**
 * The canonical facts of one LLM call, whatever dialect the instrumentation spoke. Token counts are null when
 * the span did not report them. {@code inputTokens} includes cache reads and writes (OpenTelemetry convention).
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
        Long cacheReadTokens,
        Long cacheWriteTokens,
        Long reasoningTokens,
        List<String> finishReasons,
        int statusCode,
        String errorType,
        String userId,
        String sessionId,
        String dialect) {

    /** The model the call is reported and priced under: the exact response model when known. */
    public String model() {
        return responseModel != null ? responseModel : requestModel;
    }
}
