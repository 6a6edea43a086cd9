package io.llmobservatory.enrich.genai;

import java.util.List;

/**
 * What one dialect found on a span; every field may be null. {@link LlmCallExtractor} merges the facts of
 * all dialects by precedence into one {@link LlmCall}.
 */
public record GenAiFacts(
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
        String errorType,
        String userId,
        String sessionId) {

    /** True when the facts describe a call to a model: a model name or token usage is present. */
    public boolean describesModelCall() {
        return requestModel != null || responseModel != null || inputTokens != null || outputTokens != null;
    }
}
