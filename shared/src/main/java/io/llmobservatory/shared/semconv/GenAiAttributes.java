package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.longKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringArrayKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;
import static io.llmobservatory.shared.semconv.AttributeKey.doubleKey;

/**
 * OpenTelemetry GenAI semantic conventions: the current keys and the deprecated spellings still sent by
 * older instrumentations. https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
 */
public final class GenAiAttributes {
    private GenAiAttributes() {
    }

    // Current conventions.
    public static final AttributeKey PROVIDER_NAME = stringKey("gen_ai.provider.name");
    public static final AttributeKey OPERATION_NAME = stringKey("gen_ai.operation.name");
    public static final AttributeKey REQUEST_MODEL = stringKey("gen_ai.request.model");
    public static final AttributeKey RESPONSE_MODEL = stringKey("gen_ai.response.model");
    public static final AttributeKey RESPONSE_ID = stringKey("gen_ai.response.id");
    public static final AttributeKey RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    /** Input tokens, including cached (read and written) tokens. */
    public static final AttributeKey USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey USAGE_CACHE_READ_INPUT_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
    public static final AttributeKey USAGE_CACHE_WRITE_INPUT_TOKENS = longKey("gen_ai.usage.cache_write.input_tokens");
    public static final AttributeKey USAGE_REASONING_OUTPUT_TOKENS = longKey("gen_ai.usage.reasoning.output_tokens");
    public static final AttributeKey CONVERSATION_ID = stringKey("gen_ai.conversation.id");
    public static final AttributeKey RESPONSE_TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");

    /** Cost reported by the instrumentation itself (OpenLIT), in USD. */
    public static final AttributeKey USAGE_COST = doubleKey("gen_ai.usage.cost");
    /** Total tokens (OpenLLMetry's JS instrumentations, OpenLIT): not in the conventions, but common. */
    public static final AttributeKey USAGE_TOTAL_TOKENS = longKey("gen_ai.usage.total_tokens");
    /** Reasoning tokens as OpenLIT spells them (its Responses API instrumentation), part of the output tokens. */
    public static final AttributeKey USAGE_REASONING_TOKENS_OPENLIT = longKey("gen_ai.usage.reasoning_tokens");
    /** Time to first token in seconds, as OpenLIT reports it. */
    public static final AttributeKey SERVER_TIME_TO_FIRST_TOKEN = doubleKey("gen_ai.server.time_to_first_token");

    // Deprecated spellings, still common in the wild.
    public static final AttributeKey SYSTEM = stringKey("gen_ai.system");
    public static final AttributeKey USAGE_PROMPT_TOKENS = longKey("gen_ai.usage.prompt_tokens");
    public static final AttributeKey USAGE_COMPLETION_TOKENS = longKey("gen_ai.usage.completion_tokens");
    public static final AttributeKey USAGE_CACHE_CREATION_INPUT_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
    public static final AttributeKey USAGE_CACHE_READ_INPUT_TOKENS_LEGACY = longKey("gen_ai.usage.cache_read_input_tokens");
    public static final AttributeKey USAGE_CACHE_CREATION_INPUT_TOKENS_LEGACY = longKey("gen_ai.usage.cache_creation_input_tokens");

    // General conventions used to attribute a call.
    public static final AttributeKey ERROR_TYPE = stringKey("error.type");
    public static final AttributeKey SERVER_ADDRESS = stringKey("server.address");
    public static final AttributeKey USER_ID = stringKey("user.id");
    public static final AttributeKey ENDUSER_ID = stringKey("enduser.id");
    public static final AttributeKey SESSION_ID = stringKey("session.id");
}
