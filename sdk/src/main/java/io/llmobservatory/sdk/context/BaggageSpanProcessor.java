package io.llmobservatory.sdk.context;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.util.List;

/**
 * Copies chosen baggage entries ({@code user.id}, {@code session.id} by default) onto every span as it starts, so
 * per-user spend works without touching each call. Never overwrites an attribute the span already has.
 */
public final class BaggageSpanProcessor implements SpanProcessor {
    public static final List<String> DEFAULT_KEYS = List.of(EndUser.USER_ID, EndUser.SESSION_ID);
    private final List<String> names;
    private final List<AttributeKey<String>> keys;

    private BaggageSpanProcessor(List<String> names) {
        this.names = List.copyOf(names);
        this.keys = this.names.stream().map(AttributeKey::stringKey).toList();
    }

    public static BaggageSpanProcessor create() {
        return new BaggageSpanProcessor(DEFAULT_KEYS);
    }

    public static BaggageSpanProcessor forKeys(List<String> baggageKeys) {
        return new BaggageSpanProcessor(baggageKeys);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        Baggage baggage = Baggage.fromContext(parentContext);
        if (baggage.isEmpty()) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String value = baggage.getEntryValue(names.get(i));
            if (value != null && span.getAttribute(keys.get(i)) == null) {
                span.setAttribute(keys.get(i), value);
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
