package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/** Langfuse's OpenTelemetry namespace. https://langfuse.com/integrations/native/opentelemetry */
public final class LangfuseAttributes {
    private LangfuseAttributes() {
    }

    public static final AttributeKey USER_ID = stringKey("langfuse.user.id");
    public static final AttributeKey SESSION_ID = stringKey("langfuse.session.id");
    /** span, generation, event, agent, tool, ... */
    public static final AttributeKey OBSERVATION_TYPE = stringKey("langfuse.observation.type");
    public static final AttributeKey OBSERVATION_MODEL = stringKey("langfuse.observation.model.name");
    /** JSON object: {"input": n, "output": n, "total": n, "cache_read_input_tokens": n, ...}. */
    public static final AttributeKey OBSERVATION_USAGE_DETAILS = stringKey("langfuse.observation.usage_details");
    /** JSON object: {"input": usd, "output": usd, "total": usd}. */
    public static final AttributeKey OBSERVATION_COST_DETAILS = stringKey("langfuse.observation.cost_details");
}
