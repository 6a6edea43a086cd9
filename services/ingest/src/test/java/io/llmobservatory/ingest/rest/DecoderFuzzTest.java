package io.llmobservatory.ingest.rest;

import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.ingest.receiver.Signal;
import io.llmobservatory.ingest.receiver.TraceValidator;
import io.llmobservatory.shared.otlp.OtlpJson;
import io.llmobservatory.testkit.Fuzz;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile OTLP bodies: 30,000 mutated protobuf and 30,000 mutated JSON trace exports through the HTTP decoder and
 * the validator. Each decodes and validates (the validator reports bad spans as partial success) or is refused with
 * InvalidRequestException — a 400 — never another exception (a 500), never a hang.
 */
class DecoderFuzzTest {
    private static final Signal<ExportTraceServiceRequest, ExportTraceServiceResponse> TRACES = new Signal<>("traces",
            "spans", "ExportTraceServiceRequest", ExportTraceServiceRequest.parser(), ExportTraceServiceRequest::newBuilder,
            null, null, null);
    private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\"traceId\"",
            "\"spanId\"", "\"5b8efff798038103d269b633813fc60c\"", "\"eee19b7ec3c1b174\"", "\"startTimeUnixNano\"",
            "\"1700000000000000000\"", "-1", "1e999", "null", "true", "\"attributes\"", "\"value\"", "\"intValue\"",
            "\"kind\"", "99", "\"\\u0000\"", "\"resourceSpans\"", "\"scopeSpans\"", "\"spans\"", "\"arrayValue\"");

    private static final TraceValidator VALIDATOR = new TraceValidator();

    private static ExportTraceServiceRequest seed() {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(kv("service.name", "bot")))
                .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(
                        io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                .setTraceId(com.google.protobuf.ByteString.fromHex("5b8efff798038103d269b633813fc60c"))
                                .setSpanId(com.google.protobuf.ByteString.fromHex("eee19b7ec3c1b174")).setName("chat gpt-4o")
                                .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
                                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_001_000_000_000L)
                                .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
                                .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("e")
                                        .addAttributes(kv("gen_ai.prompt", "hi")))))).build();
    }

    private static io.opentelemetry.proto.common.v1.KeyValue kv(String k, String v) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(k)
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static void decodeAndValidate(byte[] body, String mediaType) {
        ExportTraceServiceRequest request = OtlpHttpCodec.decode(TRACES, body, mediaType);
        VALIDATOR.validate(request);
    }

    @Test
    @Timeout(120)
    void protobufBodiesDecodeOrAreRefused() {
        Fuzz fuzz = new Fuzz(3L, List.of("x"), List.of("x"));
        List<byte[]> seeds = List.of(seed().toByteArray());
        assertThat(Fuzz.run(30_000, () -> fuzz.nextBytes(seeds), b -> decodeAndValidate(b, "application/x-protobuf"),
                t -> t instanceof InvalidRequestException)).isEmpty();
    }

    @Test
    @Timeout(120)
    void jsonBodiesDecodeOrAreRefused() {
        Fuzz fuzz = new Fuzz(5L, List.of(OtlpJson.print(seed())), JSON_TOKENS);
        assertThat(Fuzz.run(30_000, fuzz::next, s -> decodeAndValidate(Fuzz.utf8(s), "application/json"),
                t -> t instanceof InvalidRequestException)).isEmpty();
    }
}
