package io.llmobservatory.sdk.langchain4j;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmobservatory.sdk.LlmOptions;
import io.llmobservatory.sdk.Recording;
import io.llmobservatory.sdk.StandInProvider;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.llmobservatory.sdk.GenAiAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LangChain4j's OpenAI chat models with the listener, against a stand-in provider. */
class ObservatoryChatModelListenerTest {
    private StandInProvider provider;
    private Recording recording;
    private ObservatoryChatModelListener listener;

    @BeforeEach
    void start() throws IOException {
        provider = new StandInProvider();
        recording = new Recording();
        listener = new ObservatoryChatModelListener(recording.llm(new LlmOptions(true, null, null)));
    }

    @AfterEach
    void stop() {
        recording.close();
        provider.close();
    }

    private ChatModel model(String name) {
        return OpenAiChatModel.builder().baseUrl(provider.baseUrl()).apiKey("sk-test").modelName(name)
                .temperature(0.3).maxRetries(0).listeners(List.of(listener)).build();
    }

    @Test
    void chatIsAClientSpanWithUsageFinishReasonAndMessages() {
        ChatResponse response = model("gpt-4o").chat(SystemMessage.from("Be brief."), UserMessage.from("Capital of France?"));

        assertThat(response.aiMessage().text()).isEqualTo(StandInProvider.ANSWER);
        SpanData span = recording.only();
        assertThat(span.getName()).isEqualTo("chat gpt-4o");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getAttributes().get(PROVIDER_NAME)).isEqualTo("openai");
        assertThat(span.getAttributes().get(REQUEST_TEMPERATURE)).isEqualTo(0.3);
        assertThat(span.getAttributes().get(RESPONSE_ID)).isEqualTo("chatcmpl-123");
        assertThat(span.getAttributes().get(RESPONSE_MODEL)).isEqualTo("gpt-4o-2024-08-06");
        assertThat(span.getAttributes().get(RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(span.getAttributes().get(USAGE_INPUT_TOKENS)).isEqualTo(42L);
        assertThat(span.getAttributes().get(USAGE_OUTPUT_TOKENS)).isEqualTo(7L);
        assertThat(span.getAttributes().get(USAGE_CACHE_READ_INPUT_TOKENS)).isEqualTo(10L);
        assertThat(span.getAttributes().get(USAGE_REASONING_OUTPUT_TOKENS)).isEqualTo(3L);
        assertThat(span.getAttributes().get(INPUT_MESSAGES)).contains("\"role\":\"system\"", "Capital of France?");
        assertThat(span.getAttributes().get(OUTPUT_MESSAGES)).contains(StandInProvider.ANSWER, "\"finish_reason\":\"stop\"");
    }

    @Test
    void rateLimitIsAnErrorSpanWithTheStatusAsErrorType() {
        assertThatThrownBy(() -> model("rate-limited").chat("hi")).isNotNull();
        SpanData span = recording.only();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("429");
    }

    @Test
    void streamingChatIsOneSpanEndedWithTheCompleteResponse() throws Exception {
        StreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(provider.baseUrl()).apiKey("sk-test")
                .modelName("gpt-4o-mini").listeners(List.of(listener)).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Capital of France?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        assertThat(done.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(StandInProvider.ANSWER);
        SpanData span = recording.only();
        assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
        assertThat(span.getAttributes().get(RESPONSE_FINISH_REASONS)).containsExactly("stop");
        assertThat(span.getAttributes().get(USAGE_OUTPUT_TOKENS)).isEqualTo(6L);
    }
}
