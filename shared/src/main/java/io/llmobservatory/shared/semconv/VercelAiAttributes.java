package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.doubleKey;
import static io.llmobservatory.shared.semconv.AttributeKey.longKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/** Vercel AI SDK telemetry. https://ai-sdk.dev/docs/ai-sdk-core/telemetry */
public final class VercelAiAttributes {
    private VercelAiAttributes() {
    }

    /** e.g. {@code ai.generateText} (wraps calls) or {@code ai.generateText.doGenerate} (one provider call). */
    public static final AttributeKey OPERATION_ID = stringKey("ai.operationId");
    public static final AttributeKey MODEL_ID = stringKey("ai.model.id");
    /** e.g. {@code openai.chat}, {@code anthropic.messages}: provider before the first dot. */
    public static final AttributeKey MODEL_PROVIDER = stringKey("ai.model.provider");
    public static final AttributeKey RESPONSE_MODEL = stringKey("ai.response.model");
    public static final AttributeKey USAGE_PROMPT_TOKENS = longKey("ai.usage.promptTokens");
    public static final AttributeKey USAGE_COMPLETION_TOKENS = longKey("ai.usage.completionTokens");
    public static final AttributeKey USAGE_INPUT_TOKENS = longKey("ai.usage.inputTokens");
    public static final AttributeKey USAGE_OUTPUT_TOKENS = longKey("ai.usage.outputTokens");
    public static final AttributeKey USAGE_TOTAL_TOKENS = longKey("ai.usage.totalTokens");
    public static final AttributeKey USAGE_REASONING_TOKENS = longKey("ai.usage.reasoningTokens");
    public static final AttributeKey USAGE_CACHED_INPUT_TOKENS = longKey("ai.usage.cachedInputTokens");
    /** AI SDK 6+ breakdowns (the legacy span shape of AI SDK 7): parts of the input and output tokens. */
    public static final AttributeKey USAGE_INPUT_CACHE_READ_TOKENS = longKey("ai.usage.inputTokenDetails.cacheReadTokens");
    public static final AttributeKey USAGE_INPUT_CACHE_WRITE_TOKENS = longKey("ai.usage.inputTokenDetails.cacheWriteTokens");
    public static final AttributeKey USAGE_OUTPUT_REASONING_TOKENS = longKey("ai.usage.outputTokenDetails.reasoningTokens");
    public static final AttributeKey RESPONSE_FINISH_REASON = stringKey("ai.response.finishReason");
    /** Milliseconds to the first streamed chunk. */
    public static final AttributeKey RESPONSE_MS_TO_FIRST_CHUNK = doubleKey("ai.response.msToFirstChunk");
    public static final AttributeKey STREAM_MS_TO_FIRST_CHUNK = doubleKey("ai.stream.msToFirstChunk");
    public static final AttributeKey METADATA_USER_ID = stringKey("ai.telemetry.metadata.userId");
    public static final AttributeKey METADATA_SESSION_ID = stringKey("ai.telemetry.metadata.sessionId");
}
