package io.llmobservatory.enrich.genai;

import java.math.BigDecimal;
import java.util.List;

/**
 * The canonical facts of one LLM call, whatever dialect the instrumentation spoke. Token counts are null when
 * the span did not report them. {@code inputTokens} includes cache reads and writes and audio input,
 * {@code outputTokens} includes reasoning and audio output (OpenTelemetry convention, whatever the dialect's own).
 *
 * @param providerInferred the provider was not reported but taken from the price catalog's model matching
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
        boolean providerInferred,
        String operation,
        String requestModel,
        String responseModel,
        Long inputTokens,
        Long outputTokens,
        Long totalTokens,
        Long cacheReadTokens,
        Long cacheWriteTokens,
        Long reasoningTokens,
        Long inputAudioTokens,
        Long outputAudioTokens,
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

    /**
     * The model the call is reported under (grouped, filtered, rolled up): the model the application asked for, else
     * the response model. A failed call has no response model, so grouping by the response model would put an app's
     * errors in another row than its successes.
     */
    public String model() {
        return requestModel != null ? requestModel : responseModel;
    }

    /** The model the call is priced under: the model that answered (the exact response model) when known. */
    public String pricedModel() {
        return responseModel != null ? responseModel : requestModel;
    }

    /** This call with a provider the price catalog inferred from its model. */
    public LlmCall withInferredProvider(String inferred) {
        return new LlmCall(traceId, spanId, startTimeUnixNano, durationNanos, serviceName, inferred, true, operation,
                requestModel, responseModel, inputTokens, outputTokens, totalTokens, cacheReadTokens, cacheWriteTokens,
                reasoningTokens, inputAudioTokens, outputAudioTokens, finishReasons, statusCode,
                errorType, userId, sessionId, ttftMs, tokensPerSecond, providedCostUsd, dialect, sourceKeys);
    }
}
