package io.llmobservatory.enrich.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Realistic spans as each SDK emits them ({@code src/test/resources/dialects/*.json}) normalised to the expected
 * canonical call; one span speaking several dialects resolves by the precedence table.
 */
class DialectFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LlmCallExtractor extractor = new LlmCallExtractor(List.of(new OtelGenAiDialect(),
            new OpenInferenceDialect(), new OpenLlmetryDialect(), new VercelAiDialect(), new LangfuseDialect()));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"otel-genai-current", "otel-genai-deprecated", "openlit", "openinference", "openllmetry", "openllmetry-llm-kind",
            "vercel-ai", "langfuse", "several-dialects"})
    void normalisesToTheCanonicalCall(String fixture) throws IOException {
        JsonNode f = read(fixture + ".json");
        LlmCall call = extractor.extract(span(f.get("attributes"), f.path("durationMs").asLong(1000))).orElseThrow(
                () -> new AssertionError(fixture + ": not recognised as an LLM call"));
        JsonNode e = f.get("expected");
        assertThat(call.dialect()).as("dialect").isEqualTo(e.get("dialect").asText());
        assertThat(call.provider()).as("provider").isEqualTo(text(e, "provider"));
        assertThat(call.requestModel()).as("requestModel").isEqualTo(text(e, "requestModel"));
        assertThat(call.responseModel()).as("responseModel").isEqualTo(text(e, "responseModel"));
        assertThat(call.inputTokens()).as("inputTokens").isEqualTo(number(e, "inputTokens"));
        assertThat(call.outputTokens()).as("outputTokens").isEqualTo(number(e, "outputTokens"));
        assertThat(call.totalTokens()).as("totalTokens").isEqualTo(number(e, "totalTokens"));
        assertThat(call.cacheReadTokens()).as("cacheReadTokens").isEqualTo(number(e, "cacheReadTokens"));
        assertThat(call.cacheWriteTokens()).as("cacheWriteTokens").isEqualTo(number(e, "cacheWriteTokens"));
        assertThat(call.reasoningTokens()).as("reasoningTokens").isEqualTo(number(e, "reasoningTokens"));
        assertThat(call.userId()).as("userId").isEqualTo(text(e, "userId"));
        assertThat(call.sessionId()).as("sessionId").isEqualTo(text(e, "sessionId"));
        assertThat(call.ttftMs()).as("ttftMs").isEqualTo(e.has("ttftMs") ? e.get("ttftMs").asDouble() : null);
        assertThat(call.tokensPerSecond()).as("tokensPerSecond").isCloseTo(e.get("tokensPerSecond").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        if (e.has("operation")) {
            assertThat(call.operation()).as("operation").isEqualTo(e.get("operation").asText());
        }
        if (e.has("finishReasons")) {
            assertThat(call.finishReasons()).as("finishReasons").containsExactlyElementsOf(strings(e.get("finishReasons")));
        }
        if (e.has("providedCostUsd")) {
            assertThat(call.providedCostUsd()).as("providedCostUsd")
                    .isEqualByComparingTo(new BigDecimal(e.get("providedCostUsd").asText()));
        } else {
            assertThat(call.providedCostUsd()).as("providedCostUsd").isNull();
        }
        assertThat(call.sourceKeys()).as("sourceKeys").containsAll(strings(e.get("sourceKeys")));
    }

    @Test
    void wrapperSpansAndOtherSpansAreNotCalls() throws IOException {
        for (JsonNode f : read("wrappers.json")) {
            assertThat(extractor.extract(span(f.get("attributes"), 1000))).as(f.get("description").asText()).isEmpty();
        }
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = DialectFixturesTest.class.getResourceAsStream("/dialects/" + name)) {
            return JSON.readTree(in);
        }
    }

    static SpanRecord span(JsonNode attributes, long durationMs) {
        Map<String, Object> map = new LinkedHashMap<>();
        attributes.fields().forEachRemaining(e -> map.put(e.getKey(), java(e.getValue())));
        long start = 1_795_773_600_000_000_000L;
        return new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "", 0, "llm", 3, start,
                start + durationMs * 1_000_000L, 0, "", "svc", Attributes.of(map), 0, List.of(), 0, List.of(), 0,
                Attributes.empty(), InstrumentationScope.EMPTY);
    }

    /** JSON values as OtlpMapper produces them from AnyValue. */
    private static Object java(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(java(x)));
            return list;
        }
        return v.asText();
    }

    private static String text(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asText() : null;
    }

    private static Long number(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asLong() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
