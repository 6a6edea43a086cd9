package io.llmobservatory.sdk;

import java.util.Objects;

/**
 * One message of a conversation as the conventions record it: a role, its text, and for output messages the
 * finish reason. Tool calls and non-text parts are not captured.
 */
public record LlmMessage(String role, String content, String finishReason) {
    public LlmMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
    }

    public static LlmMessage system(String content) {
        return new LlmMessage("system", content, null);
    }

    public static LlmMessage user(String content) {
        return new LlmMessage("user", content, null);
    }

    public static LlmMessage assistant(String content) {
        return new LlmMessage("assistant", content, null);
    }

    public static LlmMessage output(String content, String finishReason) {
        return new LlmMessage("assistant", content, finishReason);
    }
}
