package io.llmobservatory.sdk.sampling;

import io.llmobservatory.sdk.GenAiAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The priority sampler in a real tracer provider: what reaches the exporter, and what it counts. */
class PrioritySamplingSpanProcessorTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final AtomicLong clock = new AtomicLong();
    private PrioritySamplingSpanProcessor sampler;
    private SdkTracerProvider provider;
    private Tracer tracer;

    private void start(PrioritySamplingConfig config, long seed) {
        sampler = PrioritySamplingSpanProcessor.create(SimpleSpanProcessor.create(exported), config, clock::get);
        Random random = new Random(seed);
        provider = SdkTracerProvider.builder().addSpanProcessor(sampler).setIdGenerator(new IdGenerator() {
            @Override
            public String generateSpanId() {
                return HexFormat.of().toHexDigits(random.nextLong() | 1);
            }

            @Override
            public String generateTraceId() {
                return HexFormat.of().toHexDigits(random.nextLong() | 1) + HexFormat.of().toHexDigits(random.nextLong());
            }
        }).build();
        tracer = provider.get("test");
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.shutdown();
        }
    }

    private static PrioritySamplingConfig config(double baseRate) {
        return new PrioritySamplingConfig(baseRate, 1.0, Duration.ofSeconds(10), 1000, Duration.ofSeconds(30));
    }

    /** A request: a server span with one LLM call under it; returns the trace id. */
    private String trace(boolean error, long llmMillis) {
        Span root = tracer.spanBuilder("POST /chat").setStartTimestamp(0, TimeUnit.MILLISECONDS).startSpan();
        try (Scope ignored = root.makeCurrent()) {
            Span llm = tracer.spanBuilder("chat gpt-4o").setAttribute(GenAiAttributes.OPERATION_NAME, "chat")
                    .setStartTimestamp(1, TimeUnit.MILLISECONDS).startSpan();
            if (error) {
                llm.setStatus(StatusCode.ERROR);
            }
            llm.end(1 + llmMillis, TimeUnit.MILLISECONDS);
        }
        root.end(2 + llmMillis, TimeUnit.MILLISECONDS);
        return root.getSpanContext().getTraceId();
    }

    private Set<String> exportedTraces() {
        return exported.getFinishedSpanItems().stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    }

    @Test
    void keepsEveryErrorTraceAndEverySlowLlmTraceWholeAndAboutBaseRateOfTheRest() {
        start(config(0.01), 42);
        String error = trace(true, 100);
        String slow = trace(false, 10_000);
        int ordinary = 20_000;
        for (int i = 0; i < ordinary; i++) {
            trace(false, 100);
        }

        assertThat(exportedTraces()).contains(error, slow);
        assertThat(exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(error))).hasSize(2);
        assertThat(exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(slow))).hasSize(2);
        SamplingStats stats = sampler.stats();
        assertThat(stats.keptError()).isEqualTo(1);
        assertThat(stats.keptSlow()).isEqualTo(1);
        // Binomial(20 000, 0.01): mean 200, sd 14.1; 5 sd either side.
        assertThat(stats.keptBase()).isBetween(130L, 270L);
        assertThat(stats.dropped()).isEqualTo(ordinary - stats.keptBase());
        assertThat(stats.spansKept()).isEqualTo(2 * stats.kept());
        assertThat(stats.spansDropped()).isEqualTo(2 * stats.dropped());
        assertThat(exportedTraces()).hasSize((int) stats.kept());
        assertThat(stats.buffered()).isZero();
    }

    @Test
    void slowSpansThatAreNotLlmCallsDoNotKeepTheirTrace() {
        start(config(0), 1);
        Span root = tracer.spanBuilder("batch job").setStartTimestamp(0, TimeUnit.MILLISECONDS).startSpan();
        root.end(60_000, TimeUnit.MILLISECONDS);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(sampler.stats().dropped()).isEqualTo(1);
    }

    @Test
    void theDecisionFollowsTheTraceIdHashSoEveryServiceKeepsTheSameTraces() {
        start(config(0.5), 7);
        for (int i = 0; i < 200; i++) {
            String id = trace(false, 1);
            assertThat(exportedTraces().contains(id)).as(id).isEqualTo(TraceIdHash.of(id) < 0.5);
        }
    }

    @Test
    void spansOfARemoteParentAreDecidedWhenTheLocalRootEnds() {
        start(config(1.0), 3);
        SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        Span local = tracer.spanBuilder("consumer").setParent(Context.root().with(Span.wrap(remote))).startSpan();
        Span child;
        try (Scope ignored = local.makeCurrent()) {
            child = tracer.spanBuilder("chat").startSpan();
        }
        child.end();
        assertThat(exported.getFinishedSpanItems()).as("held until the local root ends").isEmpty();
        assertThat(sampler.stats().buffered()).isEqualTo(1);
        local.end();
        assertThat(exported.getFinishedSpanItems()).hasSize(2);
    }

    @Test
    void aSpanEndingAfterItsTraceWasDecidedFollowsTheDecision() {
        start(config(1.0), 5);
        Span root = tracer.spanBuilder("root").startSpan();
        Span late;
        try (Scope ignored = root.makeCurrent()) {
            late = tracer.spanBuilder("async").startSpan();
        }
        root.end();
        late.end();
        assertThat(exported.getFinishedSpanItems()).hasSize(2);
        assertThat(sampler.stats().keptBase()).isEqualTo(1);
    }

    @Test
    void aFullBufferDecidesTheOldestTraceEarlyAndStaysBounded() {
        start(new PrioritySamplingConfig(1.0, 1.0, Duration.ofSeconds(10), 3, Duration.ofSeconds(30)), 9);
        List<Span> roots = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Span root = tracer.spanBuilder("root" + i).startSpan();
            try (Scope ignored = root.makeCurrent()) {
                tracer.spanBuilder("child" + i).startSpan().end();
            }
            roots.add(root);
        }
        SamplingStats stats = sampler.stats();
        assertThat(stats.buffered()).isEqualTo(3);
        assertThat(stats.decidedEarly()).isEqualTo(2);
        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("child0", "child1");
        roots.forEach(Span::end);
    }

    @Test
    void aTraceOlderThanTheMaximumAgeIsDecidedWithWhatIsKnown() {
        start(new PrioritySamplingConfig(1.0, 1.0, Duration.ofSeconds(10), 1000, Duration.ofSeconds(30)), 11);
        Span root = tracer.spanBuilder("stuck").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            tracer.spanBuilder("child").startSpan().end();
        }
        clock.set(TimeUnit.SECONDS.toNanos(31));
        trace(false, 1);
        assertThat(sampler.stats().decidedEarly()).isEqualTo(1);
        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).contains("child");
        root.end();
    }

    @Test
    void flushDecidesWhatIsHeld() {
        start(config(1.0), 13);
        Span root = tracer.spanBuilder("root").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            tracer.spanBuilder("child").startSpan().end();
        }
        provider.forceFlush().join(5, TimeUnit.SECONDS);
        assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("child");
        root.end();
    }

    @ParameterizedTest
    @CsvSource({"observatory.sampling.base-rate, 1.5", "observatory.sampling.error-rate, -0.1",
            "observatory.sampling.max-buffered-spans, 0", "observatory.sampling.base-rate, lots"})
    void badSettingsAreRefusedNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> PrioritySamplingConfig.from(k -> k.equals(key) ? value : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }

    @Test
    void settingsDefaultToTheReferenceDesign() {
        PrioritySamplingConfig c = PrioritySamplingConfig.from(k -> null);
        assertThat(c.baseRate()).isEqualTo(0.001);
        assertThat(c.errorRate()).isEqualTo(1.0);
        assertThat(c.slowThreshold()).isEqualTo(Duration.ofMillis(10_000));
    }
}
