package io.llmobservatory.enrich.genai;

import java.math.BigDecimal;
import java.util.List;

/**
 * What one dialect found on a span; every value may be null. {@link LlmCallExtractor} merges the facts of all
 * dialects by precedence into one {@link LlmCall}.
 *
 * Token counts follow the OpenTelemetry convention (input includes cache reads, writes and audio; output includes
 * reasoning and audio): a dialect whose kinds do not overlap (Langfuse) adds them up before reporting.
 *
 * @param wrapper      the span wraps model calls (an agent, workflow or SDK-level span) and its usage, if any,
 *                     aggregates its children's: it is not itself a call
 * @param ttftMs       time to first token in milliseconds, whatever unit the dialect sent
 * @param providedCostUsd cost the instrumentation computed itself
 * @param keys         the attribute keys the values were read from
 * @param rejectedKeys keys present with a value that could not be used (not a number, negative): normalization
 *                     failures
 */
public record GenAiFacts(
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
        Long inputAudioTokens,
        Long outputAudioTokens,
        List<String> finishReasons,
        String userId,
        String sessionId,
        Double ttftMs,
        BigDecimal providedCostUsd,
        boolean wrapper,
        List<String> keys,
        List<String> rejectedKeys) {

    /** True when the facts describe a call to a model: a model name or token usage is present. */
    public boolean describesModelCall() {
        return requestModel != null || responseModel != null || inputTokens != null || outputTokens != null
                || totalTokens != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects facts; each setter keeps the first non-null value it is given (dialects list keys by priority). */
    public static final class Builder {
        private String provider;
        private String operation;
        private String requestModel;
        private String responseModel;
        private Long inputTokens;
        private Long outputTokens;
        private Long totalTokens;
        private Long cacheReadTokens;
        private Long cacheWriteTokens;
        private Long reasoningTokens;
        private Long inputAudioTokens;
        private Long outputAudioTokens;
        private List<String> finishReasons;
        private String userId;
        private String sessionId;
        private Double ttftMs;
        private BigDecimal providedCostUsd;
        private boolean wrapper;

        private Builder() {
        }

        public Builder provider(String v) { provider = provider != null ? provider : v; return this; }
        public Builder operation(String v) { operation = operation != null ? operation : v; return this; }
        public Builder requestModel(String v) { requestModel = requestModel != null ? requestModel : v; return this; }
        public Builder responseModel(String v) { responseModel = responseModel != null ? responseModel : v; return this; }
        public Builder inputTokens(Long v) { inputTokens = inputTokens != null ? inputTokens : v; return this; }
        public Builder outputTokens(Long v) { outputTokens = outputTokens != null ? outputTokens : v; return this; }
        public Builder totalTokens(Long v) { totalTokens = totalTokens != null ? totalTokens : v; return this; }
        public Builder cacheReadTokens(Long v) { cacheReadTokens = cacheReadTokens != null ? cacheReadTokens : v; return this; }
        public Builder cacheWriteTokens(Long v) { cacheWriteTokens = cacheWriteTokens != null ? cacheWriteTokens : v; return this; }
        public Builder reasoningTokens(Long v) { reasoningTokens = reasoningTokens != null ? reasoningTokens : v; return this; }
        public Builder inputAudioTokens(Long v) { inputAudioTokens = inputAudioTokens != null ? inputAudioTokens : v; return this; }
        public Builder outputAudioTokens(Long v) { outputAudioTokens = outputAudioTokens != null ? outputAudioTokens : v; return this; }
        public Builder finishReasons(List<String> v) {
            finishReasons = finishReasons != null ? finishReasons : (v == null || v.isEmpty() ? null : v);
            return this;
        }
        public Builder userId(String v) { userId = userId != null ? userId : v; return this; }
        public Builder sessionId(String v) { sessionId = sessionId != null ? sessionId : v; return this; }
        public Builder ttftMs(Double v) { ttftMs = ttftMs != null ? ttftMs : v; return this; }
        public Builder providedCostUsd(BigDecimal v) { providedCostUsd = providedCostUsd != null ? providedCostUsd : v; return this; }
        public Builder wrapper(boolean v) { wrapper = wrapper || v; return this; }

        public GenAiFacts build(List<String> keys, List<String> rejectedKeys) {
            return new GenAiFacts(provider, operation, requestModel, responseModel, inputTokens, outputTokens,
                    totalTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, inputAudioTokens,
                    outputAudioTokens, finishReasons, userId, sessionId,
                    ttftMs, providedCostUsd, wrapper, List.copyOf(keys), List.copyOf(rejectedKeys));
        }
    }
}
