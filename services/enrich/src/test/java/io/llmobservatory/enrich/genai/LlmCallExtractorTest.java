package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which spans are LLM calls, and which facts they yield, for the OpenTelemetry GenAI spellings. */
class LlmCallExtractorTest {
    private final LlmCallExtractor extractor = new LlmCallExtractor(List.of(new OtelGenAiDialect()));

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("current conventions", Map.of(
                        "gen_ai.provider.name", "openai", "gen_ai.operation.name", "chat",
                        "gen_ai.request.model", "gpt-4o", "gen_ai.response.model", "gpt-4o-2024-08-06",
                        "gen_ai.usage.input_tokens", 120L, "gen_ai.usage.output_tokens", 30L,
                        "gen_ai.usage.cache_read.input_tokens", 100L, "gen_ai.usage.cache_write.input_tokens", 5L,
                        "gen_ai.usage.reasoning.output_tokens", 7L,
                        "gen_ai.response.finish_reasons", List.of("stop")),
                        new Expected("openai", "gpt-4o", "gpt-4o-2024-08-06", 120L, 30L, 100L, 5L, 7L, List.of("stop"))),
                Arguments.of("deprecated spellings", Map.of(
                        "gen_ai.system", "Anthropic", "gen_ai.request.model", "claude-3-5-sonnet",
                        "gen_ai.usage.prompt_tokens", 50L, "gen_ai.usage.completion_tokens", 20L,
                        "gen_ai.usage.cache_creation.input_tokens", 10L, "gen_ai.usage.cache_read_input_tokens", 3L),
                        new Expected("anthropic", "claude-3-5-sonnet", null, 50L, 20L, 3L, 10L, null, List.of())),
                Arguments.of("current keys win over deprecated ones", Map.of(
                        "gen_ai.provider.name", "openai", "gen_ai.system", "azure",
                        "gen_ai.request.model", "gpt-4o",
                        "gen_ai.usage.input_tokens", 9L, "gen_ai.usage.prompt_tokens", 99L),
                        new Expected("openai", "gpt-4o", null, 9L, null, null, null, null, List.of())),
                Arguments.of("numbers sent as strings and doubles", Map.of(
                        "gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", "42",
                        "gen_ai.usage.output_tokens", 8.0, "gen_ai.response.finish_reasons", "length"),
                        new Expected(null, "gpt-4o", null, 42L, 8L, null, null, null, List.of("length"))),
                Arguments.of("negative and garbage counts are ignored", Map.of(
                        "gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", -5L,
                        "gen_ai.usage.output_tokens", "many"),
                        new Expected(null, "gpt-4o", null, null, null, null, null, null, List.of())));
    }

    record Expected(String provider, String requestModel, String responseModel, Long input, Long output,
                    Long cacheRead, Long cacheWrite, Long reasoning, List<String> finishReasons) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void extractsTheCanonicalFacts(String name, Map<String, Object> attributes, Expected expected) {
        LlmCall call = extractor.extract(span(attributes, 0)).orElseThrow();
        assertThat(new Expected(call.provider(), call.requestModel(), call.responseModel(), call.inputTokens(),
                call.outputTokens(), call.cacheReadTokens(), call.cacheWriteTokens(), call.reasoningTokens(),
                call.finishReasons())).isEqualTo(expected);
        assertThat(call.dialect()).isEqualTo("otel-genai");
        assertThat(call.serviceName()).isEqualTo("svc");
        assertThat(call.durationNanos()).isEqualTo(2_000_000L);
    }

    @Test
    void unusableValuesAreCountedAsNormalizationFailures() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        LlmCallExtractor counting = new LlmCallExtractor(List.of(new OtelGenAiDialect()), registry);
        LlmCall call = counting.extract(span(Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", "lots",
                "gen_ai.usage.output_tokens", -5L, "gen_ai.usage.cache_read.input_tokens", " "), 0)).orElseThrow();
        assertThat(call.inputTokens()).isNull();
        assertThat(call.outputTokens()).isNull();
        assertThat(registry.find("observatory.enrich.genai.normalization.failures").counters())
                .extracting(c -> c.getId().getTag("key"))
                .containsExactlyInAnyOrder("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");
        counting.extract(span(Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 10L), 0));
        assertThat(registry.find("observatory.enrich.genai.normalization.failures").tag("key", "gen_ai.usage.input_tokens")
                .counter().count()).as("a usable value is no failure").isEqualTo(1);
    }

    @Test
    void unmappedKeysInventedByClientsAddABoundedNumberOfSeries() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        LlmCallExtractor counting = new LlmCallExtractor(List.of(new OtelGenAiDialect()), registry);
        int keys = LlmCallExtractor.UNMAPPED_KEY_TAGS * 4;
        for (int i = 0; i < keys; i++) {
            counting.extract(span(Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.custom_" + Integer.toHexString(i) + "x",
                    "v"), 0)).orElseThrow();
        }
        var series = registry.find("observatory.enrich.genai.unmapped.keys").counters();
        assertThat(series).hasSize(LlmCallExtractor.UNMAPPED_KEY_TAGS + 1);
        assertThat(series.stream().mapToDouble(c -> c.count()).sum()).as("every unmapped key is still counted")
                .isEqualTo(keys);
        assertThat(registry.find("observatory.enrich.genai.unmapped.keys").tag("key", LlmCallExtractor.OTHER_KEY)
                .counter().count()).isEqualTo(keys - LlmCallExtractor.UNMAPPED_KEY_TAGS);
        counting.extract(span(Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.custom_0x", "v"), 0));
        assertThat(registry.find("observatory.enrich.genai.unmapped.keys").tag("key", "gen_ai.custom_0x").counter()
                .count()).as("a key with its own series keeps it").isEqualTo(2);
    }

    @Test
    void userAndSessionComeFromTheirConventions() {
        LlmCall call = extractor.extract(span(Map.of("gen_ai.request.model", "m", "enduser.id", "eve",
                "gen_ai.conversation.id", "conv-1"), 0)).orElseThrow();
        assertThat(call.userId()).isEqualTo("eve");
        assertThat(call.sessionId()).isEqualTo("conv-1");
        LlmCall preferred = extractor.extract(span(Map.of("gen_ai.request.model", "m", "enduser.id", "eve",
                "user.id", "adam"), 0)).orElseThrow();
        assertThat(preferred.userId()).isEqualTo("adam");
    }

    @Test
    void errorsCarryTheirType() {
        assertThat(extractor.extract(span(Map.of("gen_ai.request.model", "m", "error.type", "timeout"), 2))
                .orElseThrow().errorType()).isEqualTo("timeout");
        assertThat(extractor.extract(span(Map.of("gen_ai.request.model", "m"), 2)).orElseThrow().errorType())
                .isEqualTo("_OTHER");
        assertThat(extractor.extract(span(Map.of("gen_ai.request.model", "m"), 1)).orElseThrow().errorType()).isNull();
    }

    static Stream<Arguments> notCalls() {
        return Stream.of(
                Arguments.of("plain HTTP span", Map.of("http.request.method", "GET")),
                Arguments.of("agent span aggregating its children's tokens", Map.of("gen_ai.operation.name", "invoke_agent",
                        "gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", 1000L)),
                Arguments.of("tool execution", Map.of("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "search")),
                Arguments.of("GenAI attributes without model or usage", Map.of("gen_ai.provider.name", "openai")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notCalls")
    void otherSpansAreNotCalls(String name, Map<String, Object> attributes) {
        assertThat(extractor.extract(span(attributes, 0))).isEqualTo(Optional.empty());
    }

    static SpanRecord span(Map<String, Object> attributes, int status) {
        return new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "", 0, "chat", 3,
                1_000_000_000L, 1_002_000_000L, status, "", "svc", Attributes.of(new LinkedHashMap<>(attributes)), 0,
                List.of(), 0, List.of(), 0, Attributes.empty(), InstrumentationScope.EMPTY);
    }
}
