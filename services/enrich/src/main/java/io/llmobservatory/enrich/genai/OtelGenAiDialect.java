package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

import static io.llmobservatory.shared.semconv.GenAiAttributes.*;

/**
 * The OpenTelemetry GenAI semantic conventions (also what OpenLIT sends): current keys first, then their
 * deprecated spellings ({@code gen_ai.system}, {@code gen_ai.usage.prompt_tokens}, ...).
 */
@ApplicationScoped
public class OtelGenAiDialect implements GenAiDialect {
    static final String NAME = "otel-genai";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int precedence() {
        return 10;
    }

    /** The GenAI vocabulary: facts read here, message content and request parameters deliberately not. */
    private static final java.util.List<String> KNOWN_PREFIXES = java.util.List.of(
            "gen_ai.provider.", "gen_ai.system", "gen_ai.operation.", "gen_ai.request.", "gen_ai.response.",
            "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.prompt_tokens",
            "gen_ai.usage.completion_tokens", "gen_ai.usage.cache_", "gen_ai.usage.reasoning.", "gen_ai.usage.reasoning_tokens",
            "gen_ai.usage.total_tokens", "gen_ai.usage.cost",
            "gen_ai.prompt", "gen_ai.completion", "gen_ai.input.", "gen_ai.output.", "gen_ai.tool.", "gen_ai.agent.",
            "gen_ai.conversation.", "gen_ai.data_source.", "gen_ai.embeddings.", "gen_ai.openai.", "gen_ai.server.",
            "gen_ai.token.", "gen_ai.evaluation.", "gen_ai.content.");

    @Override
    public boolean knows(String key) {
        return KNOWN_PREFIXES.stream().anyMatch(key::startsWith);
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        if (!span.attributes().hasKeyStartingWith("gen_ai.")) {
            return Optional.empty();
        }
        SpanReader r = new SpanReader(span.attributes());
        return Optional.of(r.build(GenAiFacts.builder()
                .provider(r.string(PROVIDER_NAME, SYSTEM))
                .operation(r.string(OPERATION_NAME))
                .requestModel(r.string(REQUEST_MODEL))
                .responseModel(r.string(RESPONSE_MODEL))
                .inputTokens(r.count(USAGE_INPUT_TOKENS, USAGE_PROMPT_TOKENS))
                .outputTokens(r.count(USAGE_OUTPUT_TOKENS, USAGE_COMPLETION_TOKENS))
                .totalTokens(r.count(USAGE_TOTAL_TOKENS))
                .cacheReadTokens(r.count(USAGE_CACHE_READ_INPUT_TOKENS, USAGE_CACHE_READ_INPUT_TOKENS_LEGACY))
                .cacheWriteTokens(r.count(USAGE_CACHE_WRITE_INPUT_TOKENS, USAGE_CACHE_CREATION_INPUT_TOKENS,
                        USAGE_CACHE_CREATION_INPUT_TOKENS_LEGACY))
                .reasoningTokens(r.count(USAGE_REASONING_OUTPUT_TOKENS, USAGE_REASONING_TOKENS_OPENLIT))
                .finishReasons(r.strings(RESPONSE_FINISH_REASONS))
                .ttftMs(SpanReader.millis(r.number(RESPONSE_TIME_TO_FIRST_CHUNK, SERVER_TIME_TO_FIRST_TOKEN)))
                .providedCostUsd(r.usd(USAGE_COST))));
    }
}
