package io.llmobservatory.ingest.receiver;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The span limits truncate like the OpenTelemetry SDK, count what they drop, and leave other spans alone. */
class SpanLimiterTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpanLimiter limiter = new SpanLimiter(4, 10, 2, 2, registry);

    @ParameterizedTest(name = "{0} attributes, {1} events, {2} links -> kept {3}/{4}/{5}, dropped {6}/{7}/{8}")
    @CsvSource({
            "0, 0, 0, 0, 0, 0, 0, 0, 0",
            "4, 2, 2, 4, 2, 2, 0, 0, 0",
            "5, 2, 2, 4, 2, 2, 1, 0, 0",
            "9, 3, 5, 4, 2, 2, 5, 1, 3",
            "1, 7, 0, 1, 2, 0, 0, 5, 0",
    })
    void countsAreCutToTheLimitsAndTheDropsRecorded(int attributes, int events, int links, int keptAttributes,
                                                    int keptEvents, int keptLinks, int droppedAttributes,
                                                    int droppedEvents, int droppedLinks) {
        Span.Builder span = span();
        for (int i = 0; i < attributes; i++) {
            span.addAttributes(kv("k" + i, AnyValue.newBuilder().setIntValue(i).build()));
        }
        for (int i = 0; i < events; i++) {
            span.addEvents(Span.Event.newBuilder().setName("e" + i).setTimeUnixNano(2));
        }
        for (int i = 0; i < links; i++) {
            span.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
                    .setSpanId(ByteString.copyFrom(new byte[8])));
        }
        Span out = limit(span.build());
        assertThat(out.getAttributesCount()).isEqualTo(keptAttributes);
        assertThat(out.getEventsCount()).isEqualTo(keptEvents);
        assertThat(out.getLinksCount()).isEqualTo(keptLinks);
        assertThat(out.getDroppedAttributesCount()).isEqualTo(droppedAttributes);
        assertThat(out.getDroppedEventsCount()).isEqualTo(droppedEvents);
        assertThat(out.getDroppedLinksCount()).isEqualTo(droppedLinks);
        // The first ones are kept, in order.
        for (int i = 0; i < keptAttributes; i++) {
            assertThat(out.getAttributes(i).getKey()).isEqualTo("k" + i);
        }
        assertThat(count("attributes")).isEqualTo(droppedAttributes);
        assertThat(count("events")).isEqualTo(droppedEvents);
        assertThat(count("links")).isEqualTo(droppedLinks);
    }

    @Test
    void longValuesAreCutNotDroppedIncludingInArraysEventsAndNeverInsideASurrogatePair() {
        Span.Builder span = span()
                .addAttributes(kv("prompt", str("0123456789abcdef")))
                .addAttributes(kv("emoji", str("012345678\uD83D\uDE00")))
                .addAttributes(kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[20])).build()))
                .addAttributes(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(str("short")).addValues(str("a much longer value"))).build()))
                .addEvents(Span.Event.newBuilder().setName("e").addAttributes(kv("m", str("x".repeat(50)))));
        Span out = limit(span.build());
        assertThat(out.getAttributes(0).getValue().getStringValue()).isEqualTo("0123456789");
        assertThat(out.getAttributes(1).getValue().getStringValue()).isEqualTo("012345678");
        assertThat(out.getAttributes(2).getValue().getBytesValue().size()).isEqualTo(10);
        assertThat(out.getAttributes(3).getValue().getArrayValue().getValuesList()).extracting(AnyValue::getStringValue)
                .containsExactly("short", "a much lon");
        assertThat(out.getEvents(0).getAttributes(0).getValue().getStringValue()).hasSize(10);
        assertThat(out.getDroppedAttributesCount()).isZero();
        assertThat(count("attribute_values")).isEqualTo(5);
    }

    @Test
    void aBatchWithinTheLimitsIsTheSameObject() {
        ExportTraceServiceRequest request = request(span().addAttributes(kv("a", str("b"))).build());
        ValidatedBatch<ExportTraceServiceRequest> batch = new ValidatedBatch<>(request, 1, 0, null);
        assertThat(limiter.limit(batch)).isSameAs(batch);
    }

    private Span limit(Span span) {
        return limiter.limit(new ValidatedBatch<>(request(span), 1, 0, null)).accepted()
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private double count(String what) {
        return registry.get("observatory.ingest.span.limit.truncations").tag("what", what).counter().count();
    }

    private static ExportTraceServiceRequest request(Span span) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }

    private static Span.Builder span() {
        return Span.newBuilder().setName("s").setStartTimeUnixNano(1).setEndTimeUnixNano(3);
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }
}
