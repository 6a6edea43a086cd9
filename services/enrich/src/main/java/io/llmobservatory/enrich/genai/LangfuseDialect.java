package io.llmobservatory.enrich.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.shared.model.SpanRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

import static io.llmobservatory.shared.semconv.LangfuseAttributes.*;

/**
 * Langfuse's namespace ({@code langfuse.*}): user and session, and for generations the model, usage details
 * and cost details (JSON objects) that the Langfuse SDKs attach.
 */
@ApplicationScoped
public class LangfuseDialect implements GenAiDialect {
    private static final ObjectMapper JSON = new ObjectMapper();

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
            b.inputTokens(count(usage, "input"))
                    .outputTokens(count(usage, "output"))
                    .totalTokens(count(usage, "total"))
                    .cacheReadTokens(count(usage, "cache_read_input_tokens"))
                    .cacheWriteTokens(count(usage, "cache_creation_input_tokens"));
        }
        JsonNode cost = json(r.string(OBSERVATION_COST_DETAILS));
        if (cost != null && cost.path("total").isNumber() && cost.get("total").decimalValue().signum() >= 0) {
            b.providedCostUsd(cost.get("total").decimalValue());
        }
        return Optional.of(r.build(b));
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

    private static Long count(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() && v.asLong() >= 0 ? v.asLong() : null;
    }
}
