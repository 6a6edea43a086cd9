package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

import static io.llmobservatory.shared.semconv.VercelAiAttributes.*;

/**
 * Vercel AI SDK telemetry ({@code ai.*}). Only the {@code .do*} spans are provider calls; the outer
 * {@code ai.generateText}/{@code ai.streamText} spans sum their steps' usage and are wrappers.
 */
@ApplicationScoped
public class VercelAiDialect implements GenAiDialect {

    @Override
    public String name() {
        return "vercel-ai";
    }

    @Override
    public int precedence() {
        return 40;
    }

    @Override
    public boolean knows(String key) {
        return key.startsWith("ai.");
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        if (!span.attributes().hasKeyStartingWith("ai.")) {
            return Optional.empty();
        }
        SpanReader r = new SpanReader(span.attributes());
        String operationId = r.string(OPERATION_ID);
        String provider = r.string(MODEL_PROVIDER);
        String finish = r.string(RESPONSE_FINISH_REASON);
        return Optional.of(r.build(GenAiFacts.builder()
                .wrapper(operationId != null && !isProviderCall(operationId))
                .operation(operation(operationId))
                .provider(provider == null ? null : provider.split("\\.", 2)[0])
                .requestModel(r.string(MODEL_ID))
                .responseModel(r.string(RESPONSE_MODEL))
                .inputTokens(r.count(USAGE_INPUT_TOKENS, USAGE_PROMPT_TOKENS))
                .outputTokens(r.count(USAGE_OUTPUT_TOKENS, USAGE_COMPLETION_TOKENS))
                .totalTokens(r.count(USAGE_TOTAL_TOKENS))
                .cacheReadTokens(r.count(USAGE_INPUT_CACHE_READ_TOKENS, USAGE_CACHED_INPUT_TOKENS))
                .cacheWriteTokens(r.count(USAGE_INPUT_CACHE_WRITE_TOKENS))
                .reasoningTokens(r.count(USAGE_OUTPUT_REASONING_TOKENS, USAGE_REASONING_TOKENS))
                .finishReasons(finish == null ? null : List.of(finish))
                .ttftMs(r.number(RESPONSE_MS_TO_FIRST_CHUNK, STREAM_MS_TO_FIRST_CHUNK))
                .userId(r.string(METADATA_USER_ID))
                .sessionId(r.string(METADATA_SESSION_ID))));
    }

    private static boolean isProviderCall(String operationId) {
        return operationId.endsWith(".doGenerate") || operationId.endsWith(".doStream")
                || operationId.endsWith(".doEmbed");
    }

    private static String operation(String operationId) {
        if (operationId == null) {
            return null;
        }
        if (operationId.startsWith("ai.embed")) {
            return "embeddings";
        }
        return operationId.startsWith("ai.generateText") || operationId.startsWith("ai.streamText")
                || operationId.startsWith("ai.generateObject") || operationId.startsWith("ai.streamObject")
                ? "chat" : null;
    }
}
