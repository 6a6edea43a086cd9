package io.llmobservatory.loadgen;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated traffic has the shape the load generator promises. */
class TraceFactoryTest {

    @Test
    void tracesAreRootPlusRetrievalsPlusOneToThreeLlmCallsOfAboutTwentyAttributes() {
        ExportTraceServiceRequest request = new TraceFactory(TraceFactory.Mix.DEFAULT, 7).request(5000, 1_800_000_000_000_000_000L);
        List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertThat(spans.size()).isBetween(5000, 5010);
        Map<String, List<Span>> byTrace = spans.stream().collect(Collectors.groupingBy(s -> s.getTraceId().toStringUtf8()));
        for (List<Span> trace : byTrace.values()) {
            assertThat(trace.stream().filter(s -> s.getParentSpanId().isEmpty())).hasSize(1);
            long llm = trace.stream().filter(s -> s.getName().startsWith("chat ")).count();
            assertThat(llm).isBetween(1L, 3L);
            assertThat(trace.stream().filter(s -> s.getName().equals("retrieve documents")).count()).isBetween(1L, 2L);
            trace.stream().filter(s -> s.getName().startsWith("chat ")).forEach(s ->
                    assertThat(s.getAttributesCount()).isBetween(19, 22));
        }
        long calls = TraceFactory.llmCalls(request);
        assertThat(calls).isEqualTo(spans.stream().filter(s -> s.getName().startsWith("chat ")).count());
        // Every span ends no later than now and starts before it ends.
        assertThat(spans).allSatisfy(s -> assertThat(s.getEndTimeUnixNano()).isGreaterThan(s.getStartTimeUnixNano())
                .isLessThanOrEqualTo(1_800_000_000_000_000_000L));
    }

    @Test
    void llm4TracesAreAServerSpanARetrievalAndTwoChatCallsOfAbout820BytesASpan() {
        TraceFactory.Mix otelOnly = new TraceFactory.Mix(1, 0, 0, 0.05, 0.05, 0.05);
        ExportTraceServiceRequest request = new TraceFactory(otelOnly, 11, TraceFactory.Shape.LLM4)
                .request(20_000, 1_800_000_000_000_000_000L);
        List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertThat(spans).hasSize(20_000);
        Map<String, List<Span>> byTrace = spans.stream().collect(Collectors.groupingBy(s -> s.getTraceId().toStringUtf8()));
        assertThat(byTrace).hasSize(5_000);
        for (List<Span> trace : byTrace.values()) {
            assertThat(trace).extracting(Span::getKind).containsExactly(Span.SpanKind.SPAN_KIND_SERVER,
                    Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(trace.get(1).getName()).isEqualTo("retrieve documents");
            assertThat(trace.subList(2, 4)).allSatisfy(s -> assertThat(s.getName()).startsWith("chat "));
        }
        // The serialized request over its spans: ~820 bytes a span (the Tempo comparison's traffic).
        assertThat(request.getSerializedSize() / (double) spans.size()).isBetween(790.0, 850.0);
        List<Span> calls = spans.stream().filter(s -> s.getName().startsWith("chat ")).toList();
        assertThat(share(calls, s -> s.getStatus().getCodeValue() == 2)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shapeIsMixedUnlessLlm4IsAsked() {
        assertThat(LoadGen.Options.parse(new String[]{}).shape()).isEqualTo(TraceFactory.Shape.MIXED);
        assertThat(LoadGen.Options.parse(new String[]{"--shape=llm4"}).shape()).isEqualTo(TraceFactory.Shape.LLM4);
    }

    @ParameterizedTest(name = "otel {0}, openinference {1}, openllmetry {2}, errors {3}, pii {4}")
    @CsvSource({"1, 0, 0, 0, 0", "0, 1, 0, 0.5, 0", "0, 0, 1, 0, 0.5", "0.6, 0.2, 0.2, 0.02, 0.05"})
    void sharesAreHonoured(double otel, double openInference, double openLlmetry, double errors, double pii) {
        TraceFactory.Mix mix = new TraceFactory.Mix(otel, openInference, openLlmetry, errors, 0.05, pii);
        List<Span> calls = new TraceFactory(mix, 3).request(20_000, 1_800_000_000_000_000_000L).getResourceSpans(0)
                .getScopeSpans(0).getSpansList().stream().filter(s -> s.getName().startsWith("chat ")).toList();
        assertThat(share(calls, s -> has(s, "gen_ai.provider.name"))).isCloseTo(otel, org.assertj.core.data.Offset.offset(0.03));
        assertThat(share(calls, s -> has(s, "openinference.span.kind"))).isCloseTo(openInference, org.assertj.core.data.Offset.offset(0.03));
        assertThat(share(calls, s -> has(s, "llm.request.type"))).isCloseTo(openLlmetry, org.assertj.core.data.Offset.offset(0.03));
        assertThat(share(calls, s -> s.getStatus().getCodeValue() == 2)).isCloseTo(errors, org.assertj.core.data.Offset.offset(0.03));
        assertThat(share(calls, s -> s.toString().contains("@example.com") || s.toString().contains("4111 1111")
                || s.toString().contains("+44 20") || s.toString().contains("sk-proj-")))
                .isCloseTo(pii, org.assertj.core.data.Offset.offset(0.03));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "--rate#expected --name=value, got '--rate'",
            "--protocol=udp#--protocol must be grpc or http",
            "--pii=2#--pii is a share between 0 and 1",
            "--duration=10x#durations end in ms, s, m or h: '10x'",
            "--dialects=langchain:1#--dialects takes otel|openinference|openllmetry:share,...",
            "--batch=0#--concurrency and --batch must be at least 1",
            "--warmup=-5s#--warmup must not be negative",
            "--warmup=5#durations end in ms, s, m or h: '5'",
            "--shape=llm5#--shape must be mixed or llm4"})
    void badOptionsSayWhatIsWrong(String arg, String message) {
        assertThatThrownBy(() -> LoadGen.Options.parse(new String[]{arg})).hasMessage(message);
    }

    @Test
    void warmupIsSentBeforeTheMeasuredDuration() {
        LoadGen.Options o = LoadGen.Options.parse(new String[]{"--warmup=10s", "--duration=30s"});
        assertThat(o.warmup()).hasSeconds(10);
        assertThat(o.duration()).hasSeconds(30);
        assertThat(LoadGen.Options.parse(new String[]{}).warmup()).isZero();
    }

    private static boolean has(Span s, String key) {
        return s.getAttributesList().stream().anyMatch(a -> a.getKey().equals(key));
    }

    private static double share(List<Span> spans, java.util.function.Predicate<Span> p) {
        return spans.stream().filter(p).count() / (double) spans.size();
    }
}
