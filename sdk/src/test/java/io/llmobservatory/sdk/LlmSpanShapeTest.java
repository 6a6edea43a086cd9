package io.llmobservatory.sdk;

import io.llmobservatory.sdk.pii.PiiScrubber;
import io.llmobservatory.sdk.pii.PromptHasher;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spans the SDK writes against the GenAI semantic conventions, one row per attribute of a scenario
 * ({@code llm-span-shapes.tsv}): its name, its OpenTelemetry type, and its value or its absence.
 */
class LlmSpanShapeTest {

    static Stream<Arguments> rows() throws IOException {
        try (InputStream in = LlmSpanShapeTest.class.getResourceAsStream("/llm-span-shapes.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t", 4))
                    .map(f -> Arguments.of(f[0], f[1], f[2], f[3])).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}: {1} {2} = {3}")
    @MethodSource("rows")
    void attributeHasConventionNameTypeAndValue(String scenario, String name, String type, String value) {
        SpanData span = SCENARIOS.get(scenario);
        Map.Entry<AttributeKey<?>, Object> found = span.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals(name)).findFirst().orElse(null);
        if (value.equals("-")) {
            assertThat(found).as(name + " in " + span.getAttributes()).isNull();
            return;
        }
        assertThat(found).as(name + " in " + span.getAttributes()).isNotNull();
        assertThat(found.getKey().getType().name()).isEqualTo(type);
        if (!value.equals("*")) {
            assertThat(String.valueOf(found.getValue())).isEqualTo(value);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarioNames")
    void spanIsAClientSpanNamedOperationAndModel(String scenario) {
        SpanData span = SCENARIOS.get(scenario);
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getName()).isEqualTo(scenario.equals("stream") ? "chat gpt-4o-mini" : "chat gpt-4o");
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(LlmInstrumentation.SCOPE);
        assertThat(span.getStatus().getStatusCode())
                .isEqualTo(scenario.equals("error") ? StatusCode.ERROR : StatusCode.UNSET);
    }

    static Stream<String> scenarioNames() {
        return SCENARIOS.keySet().stream().sorted();
    }

    private static final Map<String, SpanData> SCENARIOS = Map.of(
            "chat", chat(), "content", content(), "scrubbed", scrubbed(), "error", error(), "stream", stream());

    private static SpanData chat() {
        try (Recording r = new Recording()) {
            LlmRequest request = LlmRequest.chat("openai", "gpt-4o").temperature(0.2).topP(0.9).topK(40.0)
                    .maxTokens(256L).frequencyPenalty(0.1).presencePenalty(0.3).stopSequences(List.of("END"))
                    .seed(7L).choiceCount(2L).conversationId("conv-1").server("api.openai.com", 443)
                    .messages(List.of(LlmMessage.user("not captured"))).build();
            r.llm(LlmOptions.defaults()).call(request, () -> "answer", answer -> LlmResponse.builder()
                    .id("chatcmpl-1").model("gpt-4o-2024-08-06").finishReasons(List.of("stop", "length"))
                    .inputTokens(1200L).outputTokens(300L).cacheReadInputTokens(1000L).cacheCreationInputTokens(100L)
                    .reasoningOutputTokens(50L).messages(List.of(LlmMessage.output(answer, "stop"))).build());
            return r.only();
        }
    }

    private static SpanData content() {
        try (Recording r = new Recording()) {
            LlmRequest request = LlmRequest.chat("openai", "gpt-4o")
                    .messages(List.of(LlmMessage.system("Be brief."), LlmMessage.user("Say \"hi\"\nto me"))).build();
            r.llm(new LlmOptions(true, null, null)).call(request, () -> "hi", answer -> LlmResponse.builder()
                    .messages(List.of(LlmMessage.output(answer, "stop"))).build());
            return r.only();
        }
    }

    private static SpanData scrubbed() {
        try (Recording r = new Recording()) {
            LlmRequest request = LlmRequest.chat("openai", "gpt-4o")
                    .messages(List.of(LlmMessage.user("mail alice@example.com or call +1 415 555 0123"))).build();
            LlmOptions options = new LlmOptions(true, PiiScrubber.withAllDetectors(), PromptHasher.withKey("test-key"));
            r.llm(options).call(request, () -> "card 4111 1111 1111 1111 noted", answer -> LlmResponse.builder()
                    .messages(List.of(LlmMessage.output(answer, "stop"))).build());
            return r.only();
        }
    }

    private static SpanData error() {
        try (Recording r = new Recording()) {
            LlmSpan span = r.llm(LlmOptions.defaults()).start(LlmRequest.chat("openai", "gpt-4o").build());
            span.fail("429", new IllegalStateException("rate limited"));
            return r.only();
        }
    }

    private static SpanData stream() {
        try (Recording r = new Recording()) {
            LlmSpan span = r.llm(LlmOptions.defaults()).start(LlmRequest.chat("openai", "gpt-4o-mini").build());
            List<String> seen = ObservedStream.of(span, Stream.of("a", "b", "c"), new ObservedStream.Accumulator<String>() {
                int n;

                @Override
                public void accept(String chunk, LlmSpan s) {
                    s.chunk();
                    n++;
                }

                @Override
                public LlmResponse response() {
                    return LlmResponse.builder().outputTokens((long) n).finishReasons(List.of("stop")).build();
                }
            }).toList();
            assertThat(seen).containsExactly("a", "b", "c");
            return r.only();
        }
    }
}
