package io.llmobservatory.sdk;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.llmobservatory.sdk.context.BaggageSpanProcessor;

import java.util.List;

/** A real OpenTelemetry SDK whose spans and metrics stay in memory for a test to read. */
public final class Recording implements AutoCloseable {
    public final InMemorySpanExporter spans = InMemorySpanExporter.create();
    public final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    public final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BaggageSpanProcessor.create())
                    .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    public LlmInstrumentation llm(LlmOptions options) {
        return LlmInstrumentation.create(otel, options);
    }

    public List<SpanData> finished() {
        return spans.getFinishedSpanItems();
    }

    public SpanData only() {
        List<SpanData> all = finished();
        if (all.size() != 1) {
            throw new AssertionError("expected one span, got " + all);
        }
        return all.get(0);
    }

    @Override
    public void close() {
        otel.close();
    }
}
