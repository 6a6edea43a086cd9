package io.llmobservatory.sdk;

import io.llmobservatory.sdk.internal.Settings;
import io.llmobservatory.sdk.pii.PiiScrubber;
import io.llmobservatory.sdk.pii.PromptHasher;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What the instrumentation records beyond the call's facts: message content (off by default, as the conventions
 * ask) and PII scrubbing at the source with a keyed prompt hash (off by default; the suite scrubs on arrival too).
 *
 * @param captureContent record {@code gen_ai.input.messages} / {@code gen_ai.output.messages}
 * @param scrubber       scrubs message text before it is recorded; null: no scrubbing
 * @param hasher         hashes the unscrubbed prompt into {@code gen_ai.prompt_hash}; null: no hash
 */
public record LlmOptions(boolean captureContent, PiiScrubber scrubber, PromptHasher hasher) {
    /** OpenTelemetry's switch for GenAI content, shared with other GenAI instrumentations. */
    public static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";
    public static final String PII_ENABLED = "observatory.pii.enabled";
    public static final String PII_HASH_KEY = "observatory.pii.hash-key";
    public static final String PII_DISABLED_DETECTORS = "observatory.pii.disabled-detectors";
    private static final Logger LOG = Logger.getLogger(LlmOptions.class.getName());

    /** No content, no scrubbing: the call's facts only. */
    public static LlmOptions defaults() {
        return new LlmOptions(false, null, null);
    }

    /** From system properties and environment variables (the same keys autoconfigure reads). */
    public static LlmOptions fromEnvironment() {
        return from(Settings.fromSystem());
    }

    /** From a setting lookup ({@code key -> value or null}), keys as in the constants above. */
    public static LlmOptions from(Function<String, String> settings) {
        boolean capture = Boolean.parseBoolean(settings.apply(CAPTURE_CONTENT));
        if (!Boolean.parseBoolean(settings.apply(PII_ENABLED))) {
            return new LlmOptions(capture, null, null);
        }
        String disabled = settings.apply(PII_DISABLED_DETECTORS);
        Set<String> off = disabled == null ? Set.of()
                : Arrays.stream(disabled.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        String key = settings.apply(PII_HASH_KEY);
        PromptHasher hasher;
        if (key == null) {
            LOG.warning(PII_HASH_KEY + " is not set: gen_ai.prompt_hash uses a random key and correlates within this process only");
            hasher = PromptHasher.withRandomKey();
        } else {
            hasher = PromptHasher.withKey(key);
        }
        return new LlmOptions(capture, PiiScrubber.without(off), hasher);
    }
}
