package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.llmobservatory.shared.semconv.OpenInferenceAttributes.*;

/** OpenInference (Arize Phoenix instrumentations): {@code llm.*} keys on spans of kind LLM or EMBEDDING. */
@ApplicationScoped
public class OpenInferenceDialect implements GenAiDialect {
    private static final Set<String> MODEL_KINDS = Set.of("LLM", "EMBEDDING");

    @Override
    public String name() {
        return "openinference";
    }

    @Override
    public int precedence() {
        return 20;
    }

    @Override
    public boolean knows(String key) {
        return key.startsWith("llm.model_name") || key.startsWith("llm.provider") || key.startsWith("llm.system")
                || key.startsWith("llm.token_count.") || key.startsWith("llm.cost.") || key.startsWith("llm.invocation_parameters")
                || key.startsWith("llm.input_messages") || key.startsWith("llm.output_messages") || key.startsWith("llm.prompt")
                || key.startsWith("llm.tools") || key.startsWith("llm.function_call") || key.startsWith("openinference.") || key.startsWith("input.")
                || key.startsWith("output.") || key.startsWith("embedding.") || key.startsWith("retrieval.")
                || key.startsWith("tool.") || key.equals("metadata") || key.equals("tag.tags");
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        String kind = span.attributes().string(SPAN_KIND).map(k -> k.toUpperCase(Locale.ROOT)).orElse(null);
        boolean hasLlmKeys = span.attributes().contains(MODEL_NAME) || span.attributes().contains(TOKEN_COUNT_PROMPT)
                || span.attributes().contains(TOKEN_COUNT_COMPLETION);
        if (kind == null && !hasLlmKeys) {
            return Optional.empty();
        }
        SpanReader r = new SpanReader(span.attributes());
        r.string(SPAN_KIND);
        GenAiFacts.Builder b = GenAiFacts.builder()
                // CHAIN, AGENT, TOOL, RETRIEVER... wrap model calls and may repeat their usage.
                .wrapper(kind != null && !MODEL_KINDS.contains(kind))
                .operation("EMBEDDING".equals(kind) ? "embeddings" : null)
                .provider(r.string(PROVIDER, SYSTEM))
                .requestModel(r.string(MODEL_NAME))
                .inputTokens(r.count(TOKEN_COUNT_PROMPT))
                .outputTokens(r.count(TOKEN_COUNT_COMPLETION))
                .totalTokens(r.count(TOKEN_COUNT_TOTAL))
                .cacheReadTokens(r.count(TOKEN_COUNT_CACHE_READ))
                .cacheWriteTokens(r.count(TOKEN_COUNT_CACHE_WRITE))
                .reasoningTokens(r.count(TOKEN_COUNT_REASONING))
                .inputAudioTokens(r.count(TOKEN_COUNT_PROMPT_AUDIO))
                .outputAudioTokens(r.count(TOKEN_COUNT_COMPLETION_AUDIO))
                .providedCostUsd(r.usd(COST_TOTAL));
        return Optional.of(r.build(b));
    }
}
