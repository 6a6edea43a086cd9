package io.llmobservatory.ingest.rest;

import io.llmobservatory.ingest.receiver.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtlpHttpCodecTest {
    private static final io.llmobservatory.ingest.receiver.Signal<
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest,
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse> SIGNAL =
            new io.llmobservatory.ingest.receiver.Signal<>("traces", "spans", "ExportTraceServiceRequest",
                    io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parser(),
                    io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest::newBuilder, null, null, null);

    @ParameterizedTest
    @CsvSource({
            "application/x-protobuf, application/x-protobuf",
            "application/json, application/json",
            "'application/json; charset=utf-8', application/json",
            "Application/JSON, application/json"
    })
    void acceptsTheTwoOtlpMediaTypes(String header, String expected) {
        assertThat(OtlpHttpCodec.mediaType(header)).isEqualTo(expected);
    }

    @Test
    void anUnpairedSurrogateInJsonIsRefusedWithItsOwnReason() {
        byte[] json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\\ud800\"}]}]}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OtlpHttpCodec.decode(
                        new io.llmobservatory.ingest.receiver.Signal<>("traces", "spans", "ExportTraceServiceRequest",
                                io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parser(),
                                io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest::newBuilder,
                                null, null, null), json, OtlpHttpCodec.JSON))
                .isInstanceOfSatisfying(io.llmobservatory.ingest.receiver.InvalidRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo("invalid_utf16"));
    }

    @Test
    void rejectsOtherMediaTypes() {
        assertThatThrownBy(() -> OtlpHttpCodec.mediaType("text/plain"))
                .isInstanceOf(OtlpHttpCodec.UnsupportedMediaException.class).hasMessageContaining("got text/plain");
        assertThatThrownBy(() -> OtlpHttpCodec.mediaType(null))
                .isInstanceOf(OtlpHttpCodec.UnsupportedMediaException.class);
    }

    @Test
    void gunzipsWithinTheLimit() throws IOException {
        byte[] data = "hello otlp".repeat(100).getBytes();
        assertThat(OtlpHttpCodec.decompress(gzip(data), "gzip", 10_000)).isEqualTo(data);
        assertThat(OtlpHttpCodec.decompress(data, null, 10_000)).isEqualTo(data);
        assertThat(OtlpHttpCodec.decompress(data, "identity", 10_000)).isEqualTo(data);
    }

    @Test
    void aGzipBombStopsAtTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(100 * 1024);
        assertThatThrownBy(() -> OtlpHttpCodec.decompress(bomb, "gzip", 20 * 1024 * 1024))
                .isInstanceOf(OtlpHttpCodec.TooLargeException.class).hasMessageContaining("after gzip decompression");
    }

    @Test
    void uncompressedBodiesOverTheLimitAreTooLarge() {
        assertThatThrownBy(() -> OtlpHttpCodec.decompress(new byte[11], null, 10))
                .isInstanceOf(OtlpHttpCodec.TooLargeException.class);
    }

    @Test
    void brokenGzipAndUnknownEncodingsAreClientErrors() {
        assertThatThrownBy(() -> OtlpHttpCodec.decompress(new byte[] {1, 2, 3}, "gzip", 100))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not valid gzip");
        assertThatThrownBy(() -> OtlpHttpCodec.decompress(new byte[] {1}, "br", 100))
                .isInstanceOf(OtlpHttpCodec.UnsupportedMediaException.class).hasMessageContaining("got br");
    }

    @Test
    void undecodableBodiesNameTheEncoding() {
        assertThatThrownBy(() -> OtlpHttpCodec.decode(SIGNAL, new byte[] {(byte) 0xff, 0x01}, OtlpHttpCodec.PROTOBUF))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("cannot decode OTLP/protobuf ExportTraceServiceRequest");
        assertThatThrownBy(() -> OtlpHttpCodec.decode(SIGNAL, "[1]".getBytes(), OtlpHttpCodec.JSON))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("cannot decode OTLP/JSON");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
