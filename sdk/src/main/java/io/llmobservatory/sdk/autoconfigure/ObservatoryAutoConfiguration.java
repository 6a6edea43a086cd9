package io.llmobservatory.sdk.autoconfigure;

import io.llmobservatory.sdk.context.BaggageSpanProcessor;
import io.llmobservatory.sdk.sampling.PrioritySamplingConfig;
import io.llmobservatory.sdk.sampling.PrioritySamplingSpanProcessor;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The suite's settings applied to OpenTelemetry autoconfigure, found through {@code ServiceLoader} by
 * {@code LlmObservatory.install()}, by an application's own {@code AutoConfiguredOpenTelemetrySdk}, and by the Java
 * agent (as an extension): the API key as the OTLP header, user and session from baggage onto every span, and the
 * priority sampler in front of the batch processor when {@code observatory.sampling.enabled=true}.
 */
public final class ObservatoryAutoConfiguration implements AutoConfigurationCustomizerProvider {
    public static final String API_KEY = "observatory.api-key";
    public static final String BAGGAGE_KEYS = "observatory.baggage.keys";
    /** The sampler of the last SDK configured in this class loader, so {@code install()} can hand out its counters. */
    static final AtomicReference<PrioritySamplingSpanProcessor> LAST_SAMPLER = new AtomicReference<>();

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addPropertiesCustomizer(ObservatoryAutoConfiguration::apiKeyHeader);
        customizer.addTracerProviderCustomizer((builder, config) -> builder.addSpanProcessor(
                BaggageSpanProcessor.forKeys(config.getList(BAGGAGE_KEYS, BaggageSpanProcessor.DEFAULT_KEYS))));
        customizer.addSpanProcessorCustomizer(ObservatoryAutoConfiguration::sampled);
    }

    @Override
    public int order() {
        return 100;
    }

    /** {@code observatory.api-key} becomes {@code Authorization: Bearer <key>} on every OTLP export. */
    static Map<String, String> apiKeyHeader(ConfigProperties config) {
        String key = config.getString(API_KEY);
        if (key == null || key.isBlank()) {
            return Map.of();
        }
        String header = "Authorization=Bearer%20" + key.trim();
        String existing = config.getString("otel.exporter.otlp.headers");
        return Map.of("otel.exporter.otlp.headers", existing == null || existing.isBlank() ? header : existing + "," + header);
    }

    private static SpanProcessor sampled(SpanProcessor processor, ConfigProperties config) {
        if (!config.getBoolean(PrioritySamplingConfig.ENABLED, false) || !(processor instanceof BatchSpanProcessor)) {
            return processor;
        }
        PrioritySamplingSpanProcessor sampler = PrioritySamplingSpanProcessor.create(processor,
                PrioritySamplingConfig.from(config::getString));
        LAST_SAMPLER.set(sampler);
        return sampler;
    }

    /** Takes the sampler the last configuration built (null when sampling was off), leaving none behind. */
    public static PrioritySamplingSpanProcessor takeLastSampler() {
        return LAST_SAMPLER.getAndSet(null);
    }

}
