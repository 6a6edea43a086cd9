package io.llmobservatory.enrich;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.HexFormat;

/** Hand-built OTLP batches for enrich's tests. LLM spans start at 2026-11-27T10:00:00.123456789Z. */
public final class OtlpFixtures {
    private OtlpFixtures() {
    }

    public static ExportTraceServiceRequest batch(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "chatbot")))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans)))).build();
    }

    public static Span llmSpan(String trace, String spanId) {
        return llmSpan(trace, spanId, "gpt-4o");
    }

    /** An OpenAI chat call asking for {@code requestModel}, with 1000 input and 500 output tokens. */
    public static Span llmSpan(String trace, String spanId, String requestModel) {
        return span(trace, spanId, "", "chat", 3, 0).toBuilder()
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", requestModel))
                .addAttributes(num("gen_ai.usage.input_tokens", 1000))
                .addAttributes(num("gen_ai.usage.output_tokens", 500)).build();
    }

    public static Span span(String trace, String spanId, String parent, String name, int kind, int status) {
        long start = 1_795_773_600_123_456_789L; // 2026-11-27T10:00:00.123456789Z
        return Span.newBuilder().setTraceId(id(trace)).setSpanId(id(spanId))
                .setParentSpanId(parent.isEmpty() ? ByteString.EMPTY : id(parent))
                .setName(name).setKindValue(kind).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_500_000_000L)
                .setStatus(Status.newBuilder().setCodeValue(status)).build();
    }

    public static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    public static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(sv(value)).build();
    }

    public static AnyValue sv(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    public static KeyValue num(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
