package io.llmobservatory.sdk;

import io.llmobservatory.sdk.autoconfigure.ObservatoryAutoConfiguration;
import io.llmobservatory.sdk.sampling.PrioritySamplingSpanProcessor;
import io.llmobservatory.sdk.sampling.SamplingStats;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.Map;
import java.util.Optional;

/**
 * One-line setup: {@code LlmObservatory.install()} builds the OpenTelemetry SDK from autoconfigure properties and
 * environment variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OBSERVATORY_API_KEY},
 * {@code OBSERVATORY_SAMPLING_*}, ...), registers it as the global one, and returns the handle applications call LLMs
 * through. Under the Java agent, skip {@code install()} and use {@link #instrumentation()}.
 */
public final class LlmObservatory implements AutoCloseable {
    private static volatile LlmInstrumentation global;

    private final OpenTelemetrySdk sdk;
    private final LlmInstrumentation instrumentation;
    private final PrioritySamplingSpanProcessor sampler;

    private LlmObservatory(OpenTelemetrySdk sdk, LlmInstrumentation instrumentation, PrioritySamplingSpanProcessor sampler) {
        this.sdk = sdk;
        this.instrumentation = instrumentation;
        this.sampler = sampler;
    }

    /** From system properties and environment variables. */
    public static LlmObservatory install() {
        return install(Map.of());
    }

    /**
     * With {@code properties} (autoconfigure keys, e.g. {@code otel.service.name}) under the system properties and
     * environment variables, which win.
     */
    public static synchronized LlmObservatory install(Map<String, String> properties) {
        var config = new Object() {
            io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties value;
        };
        ObservatoryAutoConfiguration.takeLastSampler();
        AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .addPropertiesCustomizer(c -> {
                    config.value = c;
                    return Map.of();
                })
                .setResultAsGlobal()
                .build();
        OpenTelemetrySdk sdk = auto.getOpenTelemetrySdk();
        var props = config.value;
        LlmOptions options = LlmOptions.from(key -> {
            String v = props.getString(key);
            return v == null || v.isBlank() ? null : v;
        });
        PrioritySamplingSpanProcessor sampler = ObservatoryAutoConfiguration.takeLastSampler();
        if (sampler != null) {
            sampler.registerMetrics(sdk.getMeter(LlmInstrumentation.SCOPE));
        }
        LlmInstrumentation instrumentation = LlmInstrumentation.create(sdk, options);
        global = instrumentation;
        return new LlmObservatory(sdk, instrumentation, sampler);
    }

    /**
     * The instrumentation of the installed SDK; without {@code install()} (e.g. under the Java agent) one over
     * {@link GlobalOpenTelemetry} with options from system properties and environment variables.
     */
    public static LlmInstrumentation instrumentation() {
        LlmInstrumentation i = global;
        if (i == null) {
            synchronized (LlmObservatory.class) {
                if (global == null) {
                    global = LlmInstrumentation.create(GlobalOpenTelemetry.get(), LlmOptions.fromEnvironment());
                }
                i = global;
            }
        }
        return i;
    }

    public LlmInstrumentation llm() {
        return instrumentation;
    }

    public OpenTelemetrySdk openTelemetry() {
        return sdk;
    }

    /** The priority sampler's counters, when sampling is on. */
    public Optional<SamplingStats> samplingStats() {
        return Optional.ofNullable(sampler).map(PrioritySamplingSpanProcessor::stats);
    }

    /** Exports what is held and buffered (sampler decisions included) and waits up to 30 s. */
    public void flush() {
        sdk.getSdkTracerProvider().forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
        sdk.getSdkMeterProvider().forceFlush().join(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        synchronized (LlmObservatory.class) {
            if (global == instrumentation) {
                global = null;
            }
        }
        sdk.shutdown().join(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
