package io.llmobservatory.sdk;

import io.opentelemetry.api.common.AttributeKey;

import java.util.List;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

/**
 * The OpenTelemetry GenAI semantic conventions the SDK writes (https://opentelemetry.io/docs/specs/semconv/gen-ai/),
 * plus the few keys of our own, each typed once.
 */
public final class GenAiAttributes {
    private GenAiAttributes() {
    }

    public static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    public static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
    public static final AttributeKey<Double> REQUEST_TOP_K = doubleKey("gen_ai.request.top_k");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY = doubleKey("gen_ai.request.frequency_penalty");
    public static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY = doubleKey("gen_ai.request.presence_penalty");
    public static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES = stringArrayKey("gen_ai.request.stop_sequences");
    public static final AttributeKey<Long> REQUEST_SEED = longKey("gen_ai.request.seed");
    public static final AttributeKey<Long> REQUEST_CHOICE_COUNT = longKey("gen_ai.request.choice.count");
    public static final AttributeKey<String> CONVERSATION_ID = stringKey("gen_ai.conversation.id");
    public static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = longKey("server.port");

    public static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    public static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    /** Input tokens, cached ones (read and written) included, as the conventions define it. */
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
    public static final AttributeKey<Long> USAGE_CACHE_CREATION_INPUT_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
    public static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS = longKey("gen_ai.usage.reasoning.output_tokens");
    /** Seconds from the request to the first streamed chunk (the suite's TTFT). */
    public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK = doubleKey("gen_ai.response.time_to_first_chunk");
    /** Output tokens over generation time (duration minus time to first chunk), as the suite computes it. */
    public static final AttributeKey<Double> TOKENS_PER_SECOND = doubleKey("llm.tokens_per_second");

    /** Opt-in content, JSON in the conventions' message shape. */
    public static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
    public static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
    public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = stringKey("gen_ai.system_instructions");
    /** Keyed BLAKE3 of the prompt before scrubbing: equal prompts correlate without being readable. */
    public static final AttributeKey<String> PROMPT_HASH = stringKey("gen_ai.prompt_hash");

    public static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    public static final AttributeKey<String> USER_ID = stringKey("user.id");
    public static final AttributeKey<String> SESSION_ID = stringKey("session.id");

    /** Metric attribute: {@code input} or {@code output}. */
    public static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");
}
