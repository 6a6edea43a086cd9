package io.llmobservatory.enrich.genai;

import io.llmobservatory.enrich.storage.MetricRepository.GenAiDims;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.MetricPoint;
import io.llmobservatory.shared.semconv.AttributeKey;

import static io.llmobservatory.shared.semconv.GenAiAttributes.*;

/**
 * Recognises the GenAI metrics ({@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.duration}, the
 * {@code gen_ai.client.inference.*} family, {@code gen_ai.server.time_to_first_token}, ...) and reads the dimensions
 * they are queried by: provider (canonical name), model (the request model, else the response model: the rule
 * {@code llm_calls.model} follows), operation, token type.
 */
public final class GenAiMetrics {
    private static final AttributeKey TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

    private GenAiMetrics() {
    }

    public static GenAiDims dims(MetricPoint point) {
        if (!point.name().startsWith("gen_ai.")) {
            return GenAiDims.NONE;
        }
        Attributes a = point.attributes();
        String provider = a.string(PROVIDER_NAME).or(() -> a.string(SYSTEM)).orElse(null);
        return new GenAiDims(ProviderNames.canonical(provider),
                a.string(REQUEST_MODEL).or(() -> a.string(RESPONSE_MODEL)).orElse(null),
                a.string(OPERATION_NAME).orElse(null),
                a.string(TOKEN_TYPE).orElse(null));
    }
}
