package io.llmobservatory.query.service;

import java.util.Locale;
import java.util.Set;

/**
 * The filters the analytics endpoints share. Values are bound as SQL parameters, never spliced into SQL text.
 *
 * @param model         the model the calls are grouped under: the model the application asked for (request model),
 *                      else the response model
 * @param status        {@code ok} (status not ERROR) or {@code error}
 * @param responseModel the model that answered (and priced) the call, e.g. {@code gpt-4o-mini-2024-07-18}
 */
public record Filters(String model, String provider, String service, String user, String session, String status,
                      String responseModel) {
    private static final Set<String> STATUSES = Set.of("ok", "error");

    public static Filters of(String model, String provider, String service, String user, String session, String status,
                             String responseModel) {
        String s = blank(status);
        if (s != null && !STATUSES.contains(s.toLowerCase(Locale.ROOT))) {
            throw new InvalidParameterException("status must be ok or error, got '" + status + "'");
        }
        return new Filters(blank(model), blank(provider), blank(service), blank(user), blank(session),
                s == null ? null : s.toLowerCase(Locale.ROOT), blank(responseModel));
    }

    public static Filters none() {
        return new Filters(null, null, null, null, null, null, null);
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
