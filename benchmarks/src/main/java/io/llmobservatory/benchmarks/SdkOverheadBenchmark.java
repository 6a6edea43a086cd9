package io.llmobservatory.benchmarks;

import io.llmobservatory.sdk.LlmInstrumentation;
import io.llmobservatory.sdk.LlmMessage;
import io.llmobservatory.sdk.LlmOptions;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.pii.PiiScrubber;
import io.llmobservatory.sdk.pii.PromptHasher;
import io.llmobservatory.sdk.sampling.PrioritySamplingConfig;
import io.llmobservatory.sdk.sampling.PrioritySamplingSpanProcessor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java SDK's overhead, in microseconds per operation on one thread (run: {@code benchmarks/run SdkOverhead}).
 * <ul>
 *   <li>{@code wrapperCall}: one LLM call through {@link LlmInstrumentation#call} (a no-op call) with a full request
 *   and response — span with ~20 attributes, both client metrics — into a real SDK whose span processor takes each
 *   ended span's data, as an exporter would ({@code toSpanData}), and discards it. {@code wrapperCallScrubbed} adds
 *   content capture, PII scrubbing and the BLAKE3 prompt hash of a short two-message prompt.</li>
 *   <li>{@code traceWithSampler} / {@code traceWithoutSampler}: a trace of two spans (root and child) started and
 *   ended, with and without the priority sampler in front of that processor. The sampler's cost per span is
 *   their difference divided by two.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkOverheadBenchmark {
    private static final LlmRequest REQUEST = LlmRequest.chat("openai", "gpt-4o").temperature(0.2).topP(0.9)
            .maxTokens(512L).stopSequences(List.of("END")).seed(7L).server("api.openai.com", 443)
            .messages(List.of(LlmMessage.system("You answer questions about our product catalogue."),
                    LlmMessage.user("Which plan suits a team of five? Reply to alice@example.com please."))).build();
    private static final LlmResponse RESPONSE = LlmResponse.builder().id("chatcmpl-1").model("gpt-4o-2024-08-06")
            .finishReasons(List.of("stop")).inputTokens(1200L).outputTokens(300L).cacheReadInputTokens(1000L)
            .messages(List.of(LlmMessage.output("The Team plan: five seats, shared history.", "stop"))).build();

    private OpenTelemetrySdk plainSdk;
    private LlmInstrumentation plain;
    private LlmInstrumentation scrubbed;
    private SdkTracerProvider withSampler;
    private SdkTracerProvider withoutSampler;
    private Tracer sampledTracer;
    private Tracer unsampledTracer;

    /** What an exporter's processor does per span, minus the I/O: take the span's data. */
    static final class TakingProcessor implements SpanProcessor {
        volatile Object last;

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            last = span.toSpanData();
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        plainSdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new TakingProcessor()).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                .build();
        plain = LlmInstrumentation.create(plainSdk, LlmOptions.defaults());
        scrubbed = LlmInstrumentation.create(plainSdk,
                new LlmOptions(true, PiiScrubber.withAllDetectors(), PromptHasher.withKey("bench-key")));
        PrioritySamplingConfig config = new PrioritySamplingConfig(0.001, 1.0, Duration.ofSeconds(10), 20_000,
                Duration.ofSeconds(30));
        withSampler = SdkTracerProvider.builder()
                .addSpanProcessor(PrioritySamplingSpanProcessor.create(new TakingProcessor(), config)).build();
        withoutSampler = SdkTracerProvider.builder().addSpanProcessor(new TakingProcessor()).build();
        sampledTracer = withSampler.get("bench");
        unsampledTracer = withoutSampler.get("bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plainSdk.close();
        withSampler.close();
        withoutSampler.close();
    }

    @Benchmark
    public String wrapperCall() {
        return plain.call(REQUEST, () -> "answer", answer -> RESPONSE);
    }

    @Benchmark
    public String wrapperCallScrubbed() {
        return scrubbed.call(REQUEST, () -> "answer", answer -> RESPONSE);
    }

    @Benchmark
    public Span traceWithSampler() {
        return trace(sampledTracer);
    }

    @Benchmark
    public Span traceWithoutSampler() {
        return trace(unsampledTracer);
    }

    private static Span trace(Tracer tracer) {
        Span root = tracer.spanBuilder("POST /chat").startSpan();
        Span child = tracer.spanBuilder("chat gpt-4o").setParent(Context.root().with(root)).startSpan();
        child.end();
        root.end();
        return root;
    }
}
