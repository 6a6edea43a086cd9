package io.llmobservatory.sdk;

import java.util.List;

/** What an LLM call answered: ids, finish reasons and token usage as the provider reported them. Immutable. */
public final class LlmResponse {
    final String id;
    final String model;
    final List<String> finishReasons;
    final Long inputTokens;
    final Long outputTokens;
    final Long cacheReadInputTokens;
    final Long cacheCreationInputTokens;
    final Long reasoningOutputTokens;
    final List<LlmMessage> messages;

    private LlmResponse(Builder b) {
        id = b.id;
        model = b.model;
        finishReasons = b.finishReasons;
        inputTokens = b.inputTokens;
        outputTokens = b.outputTokens;
        cacheReadInputTokens = b.cacheReadInputTokens;
        cacheCreationInputTokens = b.cacheCreationInputTokens;
        reasoningOutputTokens = b.reasoningOutputTokens;
        messages = b.messages;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Long outputTokens() {
        return outputTokens;
    }

    /** Builds an {@link LlmResponse}; what the provider did not report stays unset and is not recorded. */
    public static final class Builder {
        private String id;
        private String model;
        private List<String> finishReasons;
        private Long inputTokens;
        private Long outputTokens;
        private Long cacheReadInputTokens;
        private Long cacheCreationInputTokens;
        private Long reasoningOutputTokens;
        private List<LlmMessage> messages = List.of();

        private Builder() {
        }

        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder finishReasons(List<String> v) {
            finishReasons = v == null || v.isEmpty() ? null : List.copyOf(v);
            return this;
        }

        /** Input tokens, cached ones included. */
        public Builder inputTokens(Long v) {
            inputTokens = v;
            return this;
        }

        public Builder outputTokens(Long v) {
            outputTokens = v;
            return this;
        }

        public Builder cacheReadInputTokens(Long v) {
            cacheReadInputTokens = v;
            return this;
        }

        public Builder cacheCreationInputTokens(Long v) {
            cacheCreationInputTokens = v;
            return this;
        }

        public Builder reasoningOutputTokens(Long v) {
            reasoningOutputTokens = v;
            return this;
        }

        /** The completion; recorded only when content capture is on. */
        public Builder messages(List<LlmMessage> v) {
            messages = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        public LlmResponse build() {
            return new LlmResponse(this);
        }
    }
}
