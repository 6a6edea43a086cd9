package io.llmobservatory.shared.otlp;

import com.google.protobuf.ByteString;
import io.llmobservatory.shared.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OtlpMapperTest {

    static Stream<Arguments> anyValues() {
        return Stream.of(
                Arguments.of(AnyValue.newBuilder().setStringValue("s").build(), "s"),
                Arguments.of(AnyValue.newBuilder().setIntValue(-3).build(), -3L),
                Arguments.of(AnyValue.newBuilder().setDoubleValue(1.5).build(), 1.5),
                Arguments.of(AnyValue.newBuilder().setBoolValue(true).build(), true),
                Arguments.of(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build(), "aGk="),
                Arguments.of(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("a"))
                        .addValues(AnyValue.newBuilder().setIntValue(1))).build(), List.of("a", 1L)),
                Arguments.of(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setBoolValue(false))))
                        .build(), Map.of("k", false)));
    }

    @ParameterizedTest
    @MethodSource("anyValues")
    void anyValueBecomesItsJavaForm(AnyValue value, Object expected) {
        assertThat(OtlpMapper.toJava(value)).isEqualTo(expected);
    }

    @Test
    void unsetValueIsNull() {
        assertThat(OtlpMapper.toJava(AnyValue.getDefaultInstance())).isNull();
    }

    @Test
    void spansCarryTheirResourceScopeAndServiceName() {
        Span span = Span.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c")).setSpanId(id("b7ad6b7169203331"))
                .setName("op").setStartTimeUnixNano(10).setEndTimeUnixNano(30).setKindValue(2).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("api"))))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
                                .setName("lib").setVersion("1.2")).addSpans(span)))
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build();
        List<SpanRecord> spans = OtlpMapper.toSpans(request);
        assertThat(spans).hasSize(2);
        SpanRecord first = spans.get(0);
        assertThat(first.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(first.spanId()).isEqualTo("b7ad6b7169203331");
        assertThat(first.parentSpanId()).isEmpty();
        assertThat(first.serviceName()).isEqualTo("api");
        assertThat(first.scope().name()).isEqualTo("lib");
        assertThat(first.scope().version()).isEqualTo("1.2");
        assertThat(first.durationNanos()).isEqualTo(20);
        assertThat(first.kind()).isEqualTo(2);
        assertThat(spans.get(1).serviceName()).isEqualTo("unknown_service");
    }

    @Test
    void anAllZeroParentIsARoot() {
        Span span = Span.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c")).setSpanId(id("b7ad6b7169203331"))
                .setParentSpanId(ByteString.copyFrom(new byte[8])).build();
        assertThat(OtlpMapper.toSpan(span, "s", io.llmobservatory.shared.model.Attributes.empty(),
                io.llmobservatory.shared.model.InstrumentationScope.EMPTY).parentSpanId()).isEmpty();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
