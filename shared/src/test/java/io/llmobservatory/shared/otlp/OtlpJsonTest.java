package io.llmobservatory.shared.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OTLP/JSON rules of the specification, one by one. */
class OtlpJsonTest {

    private static Span firstSpan(String json) throws InvalidProtocolBufferException {
        return OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder()).build()
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private static String request(String span) {
        return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span + "]}]}]}";
    }

    @Test
    void idsAreHexNotBase64() throws Exception {
        Span span = firstSpan(request("""
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
                 "links":[{"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b172"}]}"""));
        assertThat(OtlpIds.toHex(span.getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(OtlpIds.toHex(span.getSpanId())).isEqualTo("eee19b7ec3c1b174");
        assertThat(OtlpIds.toHex(span.getParentSpanId())).isEqualTo("eee19b7ec3c1b173");
        assertThat(OtlpIds.toHex(span.getLinks(0).getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"xyz\"", "\"abc\"", "\"5b8efff798038103d269b633813fc60cZZ\""})
    void idsThatAreNotHexBecomeEmptySoValidationRejectsOnlyThatSpan(String id) throws Exception {
        assertThat(firstSpan(request("{\"traceId\":" + id + "}")).getTraceId().isEmpty()).isTrue();
    }

    @Test
    void enumsAsIntegersOrNamesAndInt64AsStringOrNumber() throws Exception {
        Span span = firstSpan(request("""
                {"kind":3,"status":{"code":"STATUS_CODE_ERROR"},"startTimeUnixNano":"1700000000000000001",
                 "endTimeUnixNano":1700000000000000002,
                 "attributes":[{"key":"n","value":{"intValue":"42"}},{"key":"m","value":{"intValue":7}}]}"""));
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1700000000000000001L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1700000000000000002L);
        assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
        assertThat(span.getAttributes(1).getValue().getIntValue()).isEqualTo(7);
    }

    @Test
    void unknownFieldsAreIgnoredAndOriginalFieldNamesAccepted() throws Exception {
        Span span = firstSpan(request("{\"name\":\"x\",\"futureField\":{\"a\":[1,2]},\"start_time_unix_nano\":\"5\"}"));
        assertThat(span.getName()).isEqualTo("x");
        assertThat(span.getStartTimeUnixNano()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"resourceSpans\": [", "[]", "42", "", "{\"resourceSpans\": {\"a\": 1}}"})
    void malformedPayloadsFailWithAReadableMessage(String json) {
        assertThatThrownBy(() -> OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder()))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageMatching("(malformed JSON|OTLP/JSON payload must be a JSON object|not an OTLP/JSON message).*");
    }

    /** Protobuf would replace the surrogate with '?' and log a WARNING with a stack trace per request. */
    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "a\\udc00b", "x\\ud83d", "\\udfff\\ud800"})
    void anUnpairedSurrogateAnywhereIsRefused(String escaped) {
        String json = request("{\"name\":\"s\",\"attributes\":[{\"key\":\"k\",\"value\":{\"arrayValue\":{\"values\":["
                + "{\"stringValue\":\"" + escaped + "\"}]}}}]}");
        assertThatThrownBy(() -> firstSpan(json)).isInstanceOf(OtlpJson.UnpairedSurrogateException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> firstSpan(request("{\"name\":\"" + escaped + "\"}")))
                .isInstanceOf(OtlpJson.UnpairedSurrogateException.class).hasMessageContaining("'name'");
    }

    @Test
    void aPairedSurrogateIsText() throws Exception {
        assertThat(firstSpan(request("{\"name\":\"smile \\ud83d\\ude00\"}")).getName()).isEqualTo("smile \uD83D\uDE00");
    }

    @Test
    void responsesPrintInLowerCamelCase() {
        String json = OtlpJson.print(ExportTraceServiceResponse.newBuilder().setPartialSuccess(
                ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("bad")).build());
        assertThat(json).isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"bad\"}}");
        assertThat(OtlpJson.print(ExportTraceServiceResponse.getDefaultInstance())).isEqualTo("{}");
    }
}
