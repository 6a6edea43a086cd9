package io.llmobservatory.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.util.HexFormat;
import java.util.List;

/** Hand-built OTLP protobuf requests. */
final class Protos {
    private Protos() {
    }

    static ExportTraceServiceRequest request(String service, List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))).build();
    }

    static Span span(String traceIdHex, String spanIdHex, String name, long start, long end) {
        return Span.newBuilder().setTraceId(id(traceIdHex)).setSpanId(id(spanIdHex)).setName(name)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end).build();
    }

    static Span chat(String traceIdHex, String spanIdHex, long start, String model, long input, long output) {
        return span(traceIdHex, spanIdHex, "chat " + model, start, start + 1_000_000_000L).toBuilder()
                .addAttributes(attr("gen_ai.provider.name", "openai"))
                .addAttributes(attr("gen_ai.request.model", model))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(input)))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.output_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(output)))
                .build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
