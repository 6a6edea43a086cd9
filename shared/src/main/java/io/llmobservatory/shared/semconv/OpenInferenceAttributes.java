package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.doubleKey;
import static io.llmobservatory.shared.semconv.AttributeKey.longKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/** OpenInference (Arize Phoenix) semantic conventions. https://github.com/Arize-ai/openinference */
public final class OpenInferenceAttributes {
    private OpenInferenceAttributes() {
    }

    /** LLM, EMBEDDING, CHAIN, AGENT, TOOL, RETRIEVER, RERANKER, GUARDRAIL, EVALUATOR. */
    public static final AttributeKey SPAN_KIND = stringKey("openinference.span.kind");
    public static final AttributeKey MODEL_NAME = stringKey("llm.model_name");
    public static final AttributeKey PROVIDER = stringKey("llm.provider");
    public static final AttributeKey SYSTEM = stringKey("llm.system");
    /** Prompt tokens, including cached ones (the details break it down). */
    public static final AttributeKey TOKEN_COUNT_PROMPT = longKey("llm.token_count.prompt");
    public static final AttributeKey TOKEN_COUNT_COMPLETION = longKey("llm.token_count.completion");
    public static final AttributeKey TOKEN_COUNT_TOTAL = longKey("llm.token_count.total");
    public static final AttributeKey TOKEN_COUNT_CACHE_READ = longKey("llm.token_count.prompt_details.cache_read");
    public static final AttributeKey TOKEN_COUNT_CACHE_WRITE = longKey("llm.token_count.prompt_details.cache_write");
    public static final AttributeKey TOKEN_COUNT_REASONING = longKey("llm.token_count.completion_details.reasoning");
    /** Audio tokens: part of the prompt and completion counts. */
    public static final AttributeKey TOKEN_COUNT_PROMPT_AUDIO = longKey("llm.token_count.prompt_details.audio");
    public static final AttributeKey TOKEN_COUNT_COMPLETION_AUDIO = longKey("llm.token_count.completion_details.audio");
    public static final AttributeKey COST_TOTAL = doubleKey("llm.cost.total");
    public static final AttributeKey SESSION_ID = stringKey("session.id");
    public static final AttributeKey USER_ID = stringKey("user.id");
}
