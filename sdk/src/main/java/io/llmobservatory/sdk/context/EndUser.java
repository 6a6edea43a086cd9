package io.llmobservatory.sdk.context;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The end user and session of a request, put into baggage once (e.g. in a request filter); the
 * {@link BaggageSpanProcessor} then copies them onto every span of the request, LLM calls included, and the baggage
 * propagates to downstream services.
 */
public final class EndUser {
    public static final String USER_ID = "user.id";
    public static final String SESSION_ID = "session.id";

    private EndUser() {
    }

    /** Makes {@code userId} (and {@code sessionId}, may be null) current until the scope is closed. */
    public static Scope set(String userId, String sessionId) {
        return with(Context.current(), userId, sessionId).makeCurrent();
    }

    public static Context with(Context context, String userId, String sessionId) {
        BaggageBuilder b = Baggage.fromContext(context).toBuilder();
        if (userId != null) {
            b.put(USER_ID, userId);
        }
        if (sessionId != null) {
            b.put(SESSION_ID, sessionId);
        }
        return context.with(b.build());
    }
}
