package io.llmobservatory.sdk.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmobservatory.sdk.LlmOptions;
import io.llmobservatory.sdk.Recording;
import io.llmobservatory.sdk.StandInProvider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.llmobservatory.sdk.GenAiAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK, wrapped, against a stand-in provider: real HTTP, real SDK, real spans. */
class OpenAiTelemetryTest {
    private StandInProvider provider;
    private Recording recording;
    private OpenAIClient client;

    @BeforeEach
    void start() throws IOException {
        provider = new StandInProvider();
        recording = new Recording();
        client = OpenAiTelemetry.wrap(OpenAIOkHttpClient.builder().baseUrl(provider.baseUrl()).apiKey("sk-test")
                .maxRetries(0).build(), recording.llm(new LlmOptions(true, null, null)));
    }

    @AfterEach
    void stop() {
        client.close();
        recording.close();
        provider.close();
    }

    @Test
    void chatCompletionIsAClientSpanWithUsageAndFinishReason() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addSystemMessage("Be brief.").addUserMessage("Capital of France?")
                .temperature(0.2).maxCompletionTokens(100L).build());

        assertThat(completion.choices().get(0).message().content()).contains(StandInProvider.ANSWER);
        SpanData span = recording.only();
        assertThat(span.getName()).isEqualTo("chat gpt-4o");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getAttributes().get(PROVIDER_NAME)).isEqualTo("openai");
        assertThat(span.getAttributes().get(REQUEST_TEMPERATURE)).isEqualTo(0.2);
        assertThat(span.getAttributes().get(REQUEST_MAX_TOKENS)).isEqualTo(100L);
        assertThat(span.getAttributes().get(RESPONSE_ID)).isEqualTo("chatcmpl-123");
        assertThat(span.getAttributes().get(RESPONSE_MODEL)).isEqualTo("gpt-4o-2024-08-06");
        assertThat(span.getAttributes().get(RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(span.getAttributes().get(USAGE_INPUT_TOKENS)).isEqualTo(42L);
        assertThat(span.getAttributes().get(USAGE_OUTPUT_TOKENS)).isEqualTo(7L);
        assertThat(span.getAttributes().get(USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(10L);
        assertThat(span.getAttributes().get(USAGE_REASONING_OUTPUT_TOKENS)).isEqualTo(3L);
        assertThat(span.getAttributes().get(INPUT_MESSAGES)).isEqualTo(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                        + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Capital of France?\"}]}]");
        assertThat(span.getAttributes().get(OUTPUT_MESSAGES)).contains(StandInProvider.ANSWER);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void streamedCompletionRecordsTimeToFirstChunkAndUsageWhenConsumed() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("Capital of France?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        String text;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            assertThat(recording.finished()).as("the span is open while the stream is").isEmpty();
            text = stream.stream().flatMap(c -> c.choices().stream())
                    .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        }
        assertThat(text).isEqualTo(StandInProvider.ANSWER);
        SpanData span = recording.only();
        assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
        assertThat(span.getAttributes().get(RESPONSE_TIME_TO_FIRST_CHUNK)).isPositive()
                .isLessThanOrEqualTo((span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e9);
        assertThat(span.getAttributes().get(TOKENS_PER_SECOND)).isPositive();
        assertThat(span.getAttributes().get(USAGE_INPUT_TOKENS)).isEqualTo(30L);
        assertThat(span.getAttributes().get(USAGE_OUTPUT_TOKENS)).isEqualTo(6L);
        assertThat(span.getAttributes().get(RESPONSE_ID)).isEqualTo("chatcmpl-s1");
        assertThat(span.getAttributes().get(RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(span.getAttributes().get(OUTPUT_MESSAGES)).contains(StandInProvider.ANSWER);
    }

    @Test
    void abandonedStreamEndsTheSpanWithWhatWasSeen() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("Capital of France?").build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            Stream<ChatCompletionChunk> chunks = stream.stream();
            assertThat(chunks.limit(2).count()).isEqualTo(2);
        }
        SpanData span = recording.only();
        assertThat(span.getAttributes().get(RESPONSE_ID)).isEqualTo("chatcmpl-s1");
        assertThat(span.getAttributes().get(RESPONSE_FINISH_REASONS)).isNull();
        assertThat(span.getAttributes().get(USAGE_OUTPUT_TOKENS)).isNull();
    }

    @Test
    void rateLimitIsAnErrorSpanWithTheStatusAsErrorType() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("rate-limited").addUserMessage("hi").build())).isInstanceOf(RateLimitException.class);
        SpanData span = recording.only();
        assertThat(span.getName()).isEqualTo("chat rate-limited");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("429");
        assertThat(span.getEvents()).extracting(e -> e.getName()).contains("exception");
    }

    @Test
    void otherServicesPassThroughUnobserved() {
        assertThat(client.withOptions(o -> o.maxRetries(0)).chat().completions().create(ChatCompletionCreateParams
                .builder().model("gpt-4o").addUserMessage("hi").build()).id()).isEqualTo("chatcmpl-123");
        assertThat(recording.finished()).hasSize(1);
        assertThatThrownBy(() -> client.models().list()).isNotNull();
        assertThat(recording.finished()).as("a models call is not an LLM span").hasSize(1);
        assertThat(recording.finished().get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                .isEqualTo("gpt-4o");
    }
}
