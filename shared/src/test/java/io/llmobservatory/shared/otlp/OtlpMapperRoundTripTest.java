package io.llmobservatory.shared.otlp;

import com.google.protobuf.ByteString;
import io.llmobservatory.shared.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** OTLP → model → OTLP keeps every field a span carries (what exporting to Tempo relies on). */
class OtlpMapperRoundTripTest {

    @Test
    void spansSurviveTheRoundTrip() {
        Span span = Span.newBuilder().setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))
                .setParentSpanId(id("eee19b7ec3c1b173")).setTraceState("k=v").setFlags(1).setName("chat").setKindValue(3)
                .setStartTimeUnixNano(10).setEndTimeUnixNano(20)
                .addAttributes(kv("s", AnyValue.newBuilder().setStringValue("x").build()))
                .addAttributes(kv("i", AnyValue.newBuilder().setIntValue(5).build()))
                .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(1.5).build()))
                .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(kv("a", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("y"))).build()))
                .addAttributes(kv("m", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("k", AnyValue.newBuilder().setIntValue(1).build()))).build()))
                .addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(15))
                .addLinks(Span.Link.newBuilder().setTraceId(id("5b8efff798038103d269b633813fc60d"))
                        .setSpanId(id("eee19b7ec3c1b175")))
                .setStatus(Status.newBuilder().setCodeValue(2).setMessage("boom"))
                .setDroppedAttributesCount(1).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("svc").build())))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(io.opentelemetry.proto.common.v1.InstrumentationScope
                        .newBuilder().setName("lib").setVersion("1")).addSpans(span))).build();

        List<SpanRecord> spans = OtlpMapper.toSpans(request);
        assertThat(OtlpMapper.toRequest(spans)).isEqualTo(request);
    }

    private static KeyValue kv(String k, AnyValue v) {
        return KeyValue.newBuilder().setKey(k).setValue(v).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
