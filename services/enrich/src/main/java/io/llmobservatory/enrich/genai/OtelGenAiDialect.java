package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.AttributeKey;
import io.llmobservatory.shared.semconv.GenAiAttributes;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

import static io.llmobservatory.shared.semconv.GenAiAttributes.*;

/**
 * The OpenTelemetry GenAI semantic conventions, current keys first, then their deprecated spellings
 * ({@code gen_ai.system}, {@code gen_ai.usage.prompt_tokens}, ...).
 */
@ApplicationScoped
public class OtelGenAiDialect implements GenAiDialect {

    @Override
    public String name() {
        return "otel-genai";
    }

    @Override
    public int precedence() {
        return 10;
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        Attributes a = span.attributes();
        boolean speaks = a.asMap().keySet().stream().anyMatch(k -> k.startsWith("gen_ai."));
        if (!speaks) {
            return Optional.empty();
        }
        List<String> finish = a.strings(RESPONSE_FINISH_REASONS);
        return Optional.of(new GenAiFacts(
                first(a, PROVIDER_NAME, SYSTEM),
                a.string(OPERATION_NAME).orElse(null),
                a.string(REQUEST_MODEL).orElse(null),
                a.string(RESPONSE_MODEL).orElse(null),
                firstCount(a, USAGE_INPUT_TOKENS, USAGE_PROMPT_TOKENS),
                firstCount(a, USAGE_OUTPUT_TOKENS, USAGE_COMPLETION_TOKENS),
                firstCount(a, USAGE_CACHE_READ_INPUT_TOKENS, USAGE_CACHE_READ_INPUT_TOKENS_LEGACY),
                firstCount(a, USAGE_CACHE_WRITE_INPUT_TOKENS, USAGE_CACHE_CREATION_INPUT_TOKENS,
                        USAGE_CACHE_CREATION_INPUT_TOKENS_LEGACY),
                firstCount(a, USAGE_REASONING_OUTPUT_TOKENS),
                finish.isEmpty() ? null : finish,
                a.string(GenAiAttributes.ERROR_TYPE).orElse(null),
                first(a, USER_ID, ENDUSER_ID),
                first(a, CONVERSATION_ID, SESSION_ID)));
    }

    private static String first(Attributes a, AttributeKey... keys) {
        for (AttributeKey key : keys) {
            Optional<String> v = a.string(key);
            if (v.isPresent()) {
                return v.get();
            }
        }
        return null;
    }

    /** Token counts: the first key present with a non-negative whole number. */
    private static Long firstCount(Attributes a, AttributeKey... keys) {
        for (AttributeKey key : keys) {
            Optional<Long> v = a.integer(key);
            if (v.isPresent() && v.get() >= 0) {
                return v.get();
            }
        }
        return null;
    }
}
