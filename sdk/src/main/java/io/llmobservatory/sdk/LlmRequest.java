package io.llmobservatory.sdk;

import java.util.List;
import java.util.Objects;

/** What an LLM call asks for: operation, provider, model and the request parameters. Immutable; see {@link #builder}. */
public final class LlmRequest {
    final String operation;
    final String provider;
    final String model;
    final Double temperature;
    final Double topP;
    final Double topK;
    final Long maxTokens;
    final Double frequencyPenalty;
    final Double presencePenalty;
    final List<String> stopSequences;
    final Long seed;
    final Long choiceCount;
    final String conversationId;
    final String serverAddress;
    final Long serverPort;
    final List<LlmMessage> messages;

    private LlmRequest(Builder b) {
        operation = b.operation;
        provider = b.provider;
        model = b.model;
        temperature = b.temperature;
        topP = b.topP;
        topK = b.topK;
        maxTokens = b.maxTokens;
        frequencyPenalty = b.frequencyPenalty;
        presencePenalty = b.presencePenalty;
        stopSequences = b.stopSequences;
        seed = b.seed;
        choiceCount = b.choiceCount;
        conversationId = b.conversationId;
        serverAddress = b.serverAddress;
        serverPort = b.serverPort;
        messages = b.messages;
    }

    /** A {@code chat} call to {@code model} of {@code provider} (e.g. {@code openai}, {@code anthropic}). */
    public static Builder chat(String provider, String model) {
        return builder("chat", provider, model);
    }

    /**
     * A call of {@code operation} ({@code chat}, {@code text_completion}, {@code embeddings},
     * {@code generate_content}, ...).
     */
    public static Builder builder(String operation, String provider, String model) {
        return new Builder(operation, provider, model);
    }

    public String operation() {
        return operation;
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    public List<LlmMessage> messages() {
        return messages;
    }

    /** Builds an {@link LlmRequest}; parameters left unset are not recorded. */
    public static final class Builder {
        private final String operation;
        private final String provider;
        private final String model;
        private Double temperature;
        private Double topP;
        private Double topK;
        private Long maxTokens;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private List<String> stopSequences;
        private Long seed;
        private Long choiceCount;
        private String conversationId;
        private String serverAddress;
        private Long serverPort;
        private List<LlmMessage> messages = List.of();

        private Builder(String operation, String provider, String model) {
            this.operation = requireText(operation, "operation");
            this.provider = requireText(provider, "provider");
            this.model = requireText(model, "model");
        }

        public Builder temperature(Double v) {
            temperature = v;
            return this;
        }

        public Builder topP(Double v) {
            topP = v;
            return this;
        }

        public Builder topK(Double v) {
            topK = v;
            return this;
        }

        public Builder maxTokens(Long v) {
            maxTokens = v;
            return this;
        }

        public Builder frequencyPenalty(Double v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder presencePenalty(Double v) {
            presencePenalty = v;
            return this;
        }

        public Builder stopSequences(List<String> v) {
            stopSequences = v == null || v.isEmpty() ? null : List.copyOf(v);
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder choiceCount(Long v) {
            choiceCount = v;
            return this;
        }

        public Builder conversationId(String v) {
            conversationId = v;
            return this;
        }

        public Builder server(String address, Integer port) {
            serverAddress = address;
            serverPort = port == null || port < 0 ? null : port.longValue();
            return this;
        }

        /** The prompt; recorded only when content capture is on. */
        public Builder messages(List<LlmMessage> v) {
            messages = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        public LlmRequest build() {
            return new LlmRequest(this);
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
