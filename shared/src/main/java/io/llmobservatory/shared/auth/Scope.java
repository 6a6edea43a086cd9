package io.llmobservatory.shared.auth;

import java.util.Locale;

/** What an API key may do: send telemetry, read it, manage keys and tenant administration. */
public enum Scope {
    INGEST, QUERY, ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code value} (case-insensitive), or an IllegalArgumentException naming the valid ones. */
    public static Scope parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown scope '" + value + "'; scopes are ingest, query, admin");
        }
    }
}
