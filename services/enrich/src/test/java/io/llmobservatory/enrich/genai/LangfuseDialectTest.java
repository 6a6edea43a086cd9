package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Langfuse's usage details to OpenTelemetry counts: its kinds do not overlap, so input and output are the sums of
 * their parts, and each detail is read under every key Langfuse's SDKs and integrations write.
 */
class LangfuseDialectTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            {"input":100,"input_cached_tokens":20,"output":45,"total":165}                        | 120 | 45 | 165  | 20   | null | null | null | null
            {"input":100,"output":15,"total":165,"input_cached_tokens":20,"output_reasoning_tokens":30} | 120 | 45 | 165 | 20 | null | 30 | null | null
            {"input":70,"output":45,"total":165,"input_cached_tokens":20,"input_cache_write_tokens":30} | 120 | 45 | 165 | 20 | 30 | null | null | null
            {"input":70,"output":15,"input_audio_tokens":50,"output_audio_tokens":30}             | 120 | 45 | null | null | null | null | 50   | 30
            {"input":70,"cache_read_input_tokens":20,"cache_creation_input_tokens":30,"output":45} | 120 | 45 | null | 20   | 30   | null | null | null
            {"input":70,"input_cache_read":20,"input_cache_creation":30,"output":45}              | 120 | 45 | null | 20   | 30   | null | null | null
            {"input":10,"output":5,"input_image_tokens":4,"output_accepted_prediction_tokens":2}   | 14  | 7  | null | null | null | null | null | null
            {"input":10,"output":"x","web_search_requests":3,"input_cached_tokens":-1}            | 10  | null | null | null | null | null | null | null
            {"total":12}                                                                           | null | null | 12 | null | null | null | null | null
            """)
    void usageKindsAreSummedIntoInputAndOutput(String usage, Long input, Long output, Long total, Long cacheRead,
                                               Long cacheWrite, Long reasoning, Long audioIn, Long audioOut) {
        GenAiFacts facts = new LangfuseDialect().read(generation(usage)).orElseThrow();
        assertThat(facts.inputTokens()).as("input").isEqualTo(input);
        assertThat(facts.outputTokens()).as("output").isEqualTo(output);
        assertThat(facts.totalTokens()).as("total").isEqualTo(total);
        assertThat(facts.cacheReadTokens()).as("cache read").isEqualTo(cacheRead);
        assertThat(facts.cacheWriteTokens()).as("cache write").isEqualTo(cacheWrite);
        assertThat(facts.reasoningTokens()).as("reasoning").isEqualTo(reasoning);
        assertThat(facts.inputAudioTokens()).as("audio in").isEqualTo(audioIn);
        assertThat(facts.outputAudioTokens()).as("audio out").isEqualTo(audioOut);
    }

    private static SpanRecord generation(String usage) {
        long start = 1_795_773_600_000_000_000L;
        return new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "", 0, "OpenAI.chat", 3,
                start, start + 1_000_000_000L, 0, "", "svc",
                Attributes.of(Map.of("langfuse.observation.type", "generation",
                        "langfuse.observation.model.name", "gpt-4o-mini",
                        "langfuse.observation.usage_details", usage)),
                0, List.of(), 0, List.of(), 0, Attributes.empty(), InstrumentationScope.EMPTY);
    }
}
