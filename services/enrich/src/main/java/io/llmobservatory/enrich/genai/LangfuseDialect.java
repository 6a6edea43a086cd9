package io.llmobservatory.enrich.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.llmobservatory.shared.semconv.LangfuseAttributes.*;

/**
 * Langfuse's namespace ({@code langfuse.*}): user and session, and for generations the model, usage details
 * and cost details (JSON objects) that the Langfuse SDKs attach.
 */
@ApplicationScoped
public class LangfuseDialect implements GenAiDialect {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Cache reads: the OpenAI integrations' {@code input_cached_tokens} (from {@code prompt_tokens_details}),
     * Langfuse's own {@code input_cache_read}, Anthropic's {@code cache_read_input_tokens}.
     */
    private static final Set<String> CACHE_READ_KEYS = Set.of("input_cached_tokens", "input_cache_read",
            "cache_read_input_tokens");
    /**
     * Cache writes: {@code input_cache_write_tokens} (@langfuse/openai from OpenAI's {@code cache_write_tokens}),
     * {@code input_cache_creation}, Anthropic's {@code cache_creation_input_tokens}. No key tells a 1-hour write
     * from a 5-minute one: both are priced as 5-minute writes.
     */
    private static final Set<String> CACHE_WRITE_KEYS = Set.of("input_cache_write_tokens", "input_cache_creation",
            "cache_creation_input_tokens");

    @Override
    public String name() {
        return "langfuse";
    }

    @Override
    public int precedence() {
        return 50;
    }

    @Override
    public boolean knows(String key) {
        return key.startsWith("langfuse.");
    }

    @Override
    public Optional<GenAiFacts> read(SpanRecord span) {
        if (!span.attributes().hasKeyStartingWith("langfuse.")) {
            return Optional.empty();
        }
        SpanReader r = new SpanReader(span.attributes());
        String type = r.string(OBSERVATION_TYPE);
        GenAiFacts.Builder b = GenAiFacts.builder()
                .wrapper(type != null && !type.toLowerCase(Locale.ROOT).equals("generation")
                        && !type.toLowerCase(Locale.ROOT).equals("embedding"))
                .userId(r.string(USER_ID))
                .sessionId(r.string(SESSION_ID))
                .requestModel(r.string(OBSERVATION_MODEL));
        JsonNode usage = json(r.string(OBSERVATION_USAGE_DETAILS));
        if (usage != null) {
            usage(usage, b);
        }
        JsonNode cost = json(r.string(OBSERVATION_COST_DETAILS));
        if (cost != null && cost.path("total").isNumber() && cost.get("total").decimalValue().signum() >= 0) {
            b.providedCostUsd(cost.get("total").decimalValue());
        }
        return Optional.of(r.build(b));
    }

    /**
     * Langfuse's usage kinds do not overlap ({@code input} is the uncached text input; its SDKs subtract every
     * {@code input_*} and {@code output_*} detail from it, and Anthropic's own {@code input_tokens} already excludes
     * the cache keys): the OpenTelemetry counts are their sums. {@code total} is taken as sent.
     */
    static void usage(JsonNode usage, GenAiFacts.Builder b) {
        Map<String, Long> sides = new HashMap<>(); // input, output
        Map<String, Long> kinds = new HashMap<>(); // cache_read, cache_write, or the key as sent
        usage.fields().forEachRemaining(field -> {
            Long n = count(field.getValue());
            String key = field.getKey();
            boolean cacheRead = CACHE_READ_KEYS.contains(key), cacheWrite = CACHE_WRITE_KEYS.contains(key);
            String kind = cacheRead ? "cache_read" : cacheWrite ? "cache_write" : key;
            String side = cacheRead || cacheWrite || key.equals("input") || key.startsWith("input_") ? "input"
                    : key.equals("output") || key.startsWith("output_") ? "output" : null;
            if (n != null && side != null) { // total is read below; other keys are not token counts
                sides.merge(side, n, Long::sum);
                kinds.merge(kind, n, Long::sum);
            }
        });
        b.inputTokens(sides.get("input"))
                .outputTokens(sides.get("output"))
                .totalTokens(count(usage.get("total")))
                .cacheReadTokens(kinds.get("cache_read"))
                .cacheWriteTokens(kinds.get("cache_write"))
                .inputAudioTokens(kinds.get("input_audio_tokens"))
                .outputAudioTokens(kinds.get("output_audio_tokens"))
                .reasoningTokens(kinds.get("output_reasoning_tokens"));
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Long count(JsonNode v) {
        return v != null && v.isIntegralNumber() && v.asLong() >= 0 ? v.asLong() : null;
    }
}
