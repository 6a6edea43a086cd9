package io.llmobservatory.query.service;

import java.util.Locale;
import java.util.Set;

/**
 * The filters the analytics endpoints share. Values are bound as SQL parameters, never spliced into SQL text.
 *
 * @param status {@code ok} (status not ERROR) or {@code error}
 */
public record Filters(String model, String provider, String service, String user, String session, String status) {
    private static final Set<String> STATUSES = Set.of("ok", "error");

    public static Filters of(String model, String provider, String service, String user, String session, String status) {
        String s = blank(status);
        if (s != null && !STATUSES.contains(s.toLowerCase(Locale.ROOT))) {
            throw new InvalidParameterException("status must be ok or error, got '" + status + "'");
        }
        return new Filters(blank(model), blank(provider), blank(service), blank(user), blank(session),
                s == null ? null : s.toLowerCase(Locale.ROOT));
    }

    public static Filters none() {
        return new Filters(null, null, null, null, null, null);
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
