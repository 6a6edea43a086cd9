package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.longKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/**
 * OpenLLMetry / Traceloop keys beyond the OpenTelemetry GenAI ones it also sends (legacy
 * {@code gen_ai.usage.prompt_tokens} etc. live in {@link GenAiAttributes}).
 */
public final class OpenLlmetryAttributes {
    private OpenLlmetryAttributes() {
    }

    public static final AttributeKey USAGE_TOTAL_TOKENS = longKey("llm.usage.total_tokens");
    /** chat, completion, embedding, rerank. */
    public static final AttributeKey REQUEST_TYPE = stringKey("llm.request.type");
    /** workflow, task, agent, tool: spans that wrap model calls. */
    public static final AttributeKey SPAN_KIND = stringKey("traceloop.span.kind");
    public static final String ASSOCIATION_PREFIX = "traceloop.association.properties.";
    public static final AttributeKey ASSOCIATION_USER_ID = stringKey(ASSOCIATION_PREFIX + "user_id");
    public static final AttributeKey ASSOCIATION_SESSION_ID = stringKey(ASSOCIATION_PREFIX + "session_id");
    public static final AttributeKey ASSOCIATION_CHAT_ID = stringKey(ASSOCIATION_PREFIX + "chat_id");
    /** {@code gen_ai.completion.0.finish_reason}: the first choice's finish reason. */
    public static final AttributeKey COMPLETION_0_FINISH_REASON = stringKey("gen_ai.completion.0.finish_reason");
}
