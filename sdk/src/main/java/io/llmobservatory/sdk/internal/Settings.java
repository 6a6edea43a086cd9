package io.llmobservatory.sdk.internal;

import java.util.Locale;
import java.util.function.Function;

/**
 * Reads a setting the way OpenTelemetry autoconfigure does: the system property ({@code observatory.pii.enabled})
 * first, then the environment variable ({@code OBSERVATORY_PII_ENABLED}). Used where no autoconfigure
 * {@code ConfigProperties} is at hand (an application that runs under the Java agent).
 */
public final class Settings {
    private Settings() {
    }

    public static Function<String, String> fromSystem() {
        return key -> {
            String v = System.getProperty(key);
            if (v == null) {
                v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            return v == null || v.isBlank() ? null : v.trim();
        };
    }
}
