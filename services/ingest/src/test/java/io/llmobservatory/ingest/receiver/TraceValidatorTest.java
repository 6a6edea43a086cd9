package io.llmobservatory.ingest.receiver;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TraceValidatorTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private final TraceValidator validator = new TraceValidator();

    static Stream<Arguments> invalidSpans() {
        return Stream.<Arguments>of(
                Arguments.of("empty trace id", (UnaryOperator<Span.Builder>) s -> s.setTraceId(ByteString.EMPTY),
                        "trace_id must be 16 bytes (32 hex digits), got 0 bytes"),
                Arguments.of("short trace id", (UnaryOperator<Span.Builder>) s -> s.setTraceId(id("0102")),
                        "trace_id must be 16 bytes (32 hex digits), got 2 bytes"),
                Arguments.of("zero trace id", (UnaryOperator<Span.Builder>) s -> s.setTraceId(ByteString.copyFrom(new byte[16])),
                        "trace_id must not be all zeros"),
                Arguments.of("long span id", (UnaryOperator<Span.Builder>) s -> s.setSpanId(id(TRACE)),
                        "span_id must be 8 bytes (16 hex digits), got 16 bytes"),
                Arguments.of("zero span id", (UnaryOperator<Span.Builder>) s -> s.setSpanId(ByteString.copyFrom(new byte[8])),
                        "span_id must not be all zeros"),
                Arguments.of("bad parent", (UnaryOperator<Span.Builder>) s -> s.setParentSpanId(id("01")),
                        "parent_span_id must be empty or 8 bytes, got 1 bytes"),
                Arguments.of("no start", (UnaryOperator<Span.Builder>) s -> s.setStartTimeUnixNano(0),
                        "start_time_unix_nano must be set"),
                Arguments.of("start beyond int64", (UnaryOperator<Span.Builder>) s -> s.setStartTimeUnixNano(-5),
                        "start_time_unix_nano is out of range"),
                Arguments.of("end before start", (UnaryOperator<Span.Builder>) s -> s.setEndTimeUnixNano(999),
                        "end_time_unix_nano (999) is before start_time_unix_nano (1000)"),
                Arguments.of("unknown kind", (UnaryOperator<Span.Builder>) s -> s.setKindValue(9),
                        "kind 9 is not a SpanKind (0-5)"),
                Arguments.of("unknown status", (UnaryOperator<Span.Builder>) s -> s.setStatus(Status.newBuilder().setCodeValue(7)),
                        "status.code 7 is not a StatusCode (0-2)"),
                Arguments.of("bad link", (UnaryOperator<Span.Builder>) s -> s.addLinks(Span.Link.newBuilder()
                        .setTraceId(id(TRACE)).setSpanId(ByteString.EMPTY)),
                        "links[0] must have a 16-byte trace_id and an 8-byte span_id, not all zeros"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpans")
    void namesTheProblem(String name, UnaryOperator<Span.Builder> breakIt, String problem) {
        assertThat(TraceValidator.problem(breakIt.apply(valid("0102030405060708").toBuilder()).build())).isEqualTo(problem);
    }

    @Test
    void validSpansPass() {
        assertThat(TraceValidator.problem(valid("0102030405060708"))).isNull();
        assertThat(TraceValidator.problem(valid("0102030405060708").toBuilder().setEndTimeUnixNano(1000).build())).isNull();
    }

    @Test
    void aCleanBatchIsPassedOnAsIs() {
        ExportTraceServiceRequest request = request(List.of(List.of(valid("01"), valid("02"))));
        ValidatedBatch<ExportTraceServiceRequest> batch = validator.validate(request);
        assertThat(batch.accepted()).isSameAs(request);
        assertThat(batch.acceptedItems()).isEqualTo(2);
        assertThat(batch.rejectedItems()).isZero();
    }

    @Test
    void invalidSpansAreRemovedAndTheRestKeepsItsResourceAndScope() {
        Span bad = valid("09").toBuilder().setTraceId(ByteString.EMPTY).setName("broken").build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("a", List.of(List.of(valid("01")), List.of(bad, valid("02")))))
                .addResourceSpans(resource("b", List.of(List.of(bad))))
                .addResourceSpans(resource("c", List.of(List.of(valid("03"), bad))))
                .build();
        ValidatedBatch<ExportTraceServiceRequest> batch = validator.validate(request);

        assertThat(batch.acceptedItems()).isEqualTo(3);
        assertThat(batch.rejectedItems()).isEqualTo(3);
        assertThat(batch.firstProblem()).isEqualTo(
                "resourceSpans[0].scopeSpans[1].spans[0] \"broken\": trace_id must be 16 bytes (32 hex digits), got 0 bytes");
        ExportTraceServiceRequest kept = batch.accepted();
        assertThat(kept.getResourceSpansList()).extracting(rs -> rs.getSchemaUrl()).containsExactly("a", "c");
        assertThat(kept.getResourceSpans(0).getScopeSpansList()).extracting(ss -> ss.getScope().getName())
                .containsExactly("scope0", "scope1");
        assertThat(kept.getResourceSpans(0).getScopeSpans(1).getSpansList()).extracting(Span::getSpanId)
                .containsExactly(id("0000000000000002"));
        assertThat(kept.getResourceSpans(1).getScopeSpans(0).getSpansList()).extracting(Span::getSpanId)
                .containsExactly(id("0000000000000003"));
    }

    @Test
    void aBatchOfOnlyInvalidSpansKeepsNothing() {
        Span bad = valid("09").toBuilder().setSpanId(ByteString.EMPTY).build();
        ValidatedBatch<ExportTraceServiceRequest> batch = validator.validate(request(List.of(List.of(bad, bad))));
        assertThat(batch.acceptedItems()).isZero();
        assertThat(batch.rejectedItems()).isEqualTo(2);
        assertThat(batch.accepted().getResourceSpansCount()).isZero();
    }

    private static ExportTraceServiceRequest request(List<List<Span>> scopes) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource("r", scopes)).build();
    }

    private static ResourceSpans resource(String schemaUrl, List<List<Span>> scopes) {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder().setSchemaUrl(schemaUrl);
        for (int i = 0; i < scopes.size(); i++) {
            rs.addScopeSpans(ScopeSpans.newBuilder()
                    .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("scope" + i))
                    .addAllSpans(scopes.get(i)));
        }
        return rs.build();
    }

    private static Span valid(String spanIdSuffix) {
        String spanId = "0000000000000000".substring(spanIdSuffix.length()) + spanIdSuffix;
        return Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(spanId)).setName("op")
                .setStartTimeUnixNano(1000).setEndTimeUnixNano(2000).setKindValue(2).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
