package io.llmobservatory.e2e;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stand-ins answer as the real Tempo 2.0.1 and Loki 2.8.0 answered (the recordings under {@code recordings/}):
 * fed what the real servers were fed, they answer the same bytes, or, where the real answer carries timings, the
 * same shape and the same data. Needs no binaries; it keeps {@link FakeStores} from drifting.
 */
class StandInFidelityIT {
    static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeStores.Tempo tempo;
    private static FakeStores.Loki loki;

    @BeforeAll
    static void start() throws Exception {
        tempo = new FakeStores.Tempo(false);
        loki = new FakeStores.Loki(false);
        pushTrace("127.0.0.1:" + tempo.port(), "tenant-a", Recordings.text("tempo-2.0.1/push-trace.json"));
    }

    @AfterAll
    static void stop() throws Exception {
        tempo.close();
        loki.close();
    }

    /** Sends an OTLP/JSON trace request to an OTLP/gRPC receiver as {@code tenant}. */
    static void pushTrace(String endpoint, String tenant, String otlpJson) throws Exception {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        JsonFormat.parser().merge(hexIdsToBase64(otlpJson), request);
        ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("X-Scope-OrgID", Metadata.ASCII_STRING_MARSHALLER), tenant);
            TraceServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).export(request.build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** OTLP/JSON writes ids in hex; protobuf's JSON parser reads bytes as base64. */
    static String hexIdsToBase64(String otlpJson) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([0-9a-f]+)\"")
                .matcher(otlpJson);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "\"" + m.group(1) + "\":\"" + java.util.Base64.getEncoder()
                    .encodeToString(java.util.HexFormat.of().parseHex(m.group(2))) + "\"");
        }
        return m.appendTail(out).toString();
    }

    static HttpResponse<byte[]> get(String url, String tenant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (tenant != null) {
            request.header("X-Scope-OrgID", tenant);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(String url, String tenant, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (tenant != null) {
            request.header("X-Scope-OrgID", tenant);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer has the recording's status, Content-Type and bytes. */
    static void assertSameBytes(HttpResponse<byte[]> answer, String recording) {
        Recordings.Answer recorded = Recordings.answer(recording);
        assertThat(answer.statusCode()).as(recording + " status").isEqualTo(recorded.status());
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(recording + " type")
                .isEqualTo(recorded.contentType());
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(recording).isEqualTo(recorded.text());
    }

    static String searchPath(String query, long start, long end) {
        return "/api/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
                + "&limit=20";
    }

    @Test
    void tempoTraceByIdIsTheRecordedBytes() throws Exception {
        assertSameBytes(get(tempo.url() + "/api/traces/" + TRACE, "tenant-a"), "tempo-2.0.1/trace-v1.http");
    }

    @Test
    void tempoSearchIsTheRecordedBytes() throws Exception {
        long start = Long.parseLong(Recordings.answer("tempo-2.0.1/search.http").json().path("traces").get(0)
                .path("startTimeUnixNano").asText()) / 1_000_000_000L;
        assertSameBytes(get(tempo.url() + searchPath("{ span.gen_ai.request.model = \"gpt-4o\" }", start - 600,
                start + 600), "tenant-a"), "tempo-2.0.1/search.http");
    }

    @Test
    void tempoRefusalsAndAbsencesAreTheRecordedBytes() throws Exception {
        assertSameBytes(get(tempo.url() + "/api/traces/" + TRACE, null), "tempo-2.0.1/trace-no-org-id.http");
        assertSameBytes(get(tempo.url() + "/api/traces/" + TRACE, "tenant-b"), "tempo-2.0.1/trace-not-found.http");
        assertSameBytes(get(tempo.url() + "/api/v2/traces/" + TRACE, "tenant-a"), "tempo-2.0.1/trace-v2-not-found.http");
        assertSameBytes(get(tempo.url() + "/api/echo", null), "tempo-2.0.1/echo.http");
        Recordings.Answer parseError = Recordings.answer("tempo-2.0.1/search-parse-error.http");
        HttpResponse<byte[]> answer = get(tempo.url() + searchPath("{ span.x = }", 0, 1), "tenant-a");
        assertThat(answer.statusCode()).isEqualTo(parseError.status());
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).startsWith("invalid TraceQL query: ");
    }

    @Test
    void lokiQueryRangeHasTheRecordedShapeAndData() throws Exception {
        String tenant = "fidelity-" + System.nanoTime();
        assertThat(post(loki.url() + "/loki/api/v1/push", tenant, Recordings.text("loki-2.8.0/push-envelope.json"))
                .statusCode()).isEqualTo(204);
        Recordings.Answer recorded = Recordings.answer("loki-2.8.0/query-range.http");
        HttpResponse<byte[]> answer = get(loki.url() + LokiRecording.QUERY_PATH, tenant);
        assertThat(answer.statusCode()).isEqualTo(recorded.status());
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).isEqualTo(recorded.contentType());
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        assertThat(Recordings.shape(body)).isEqualTo(Recordings.shape(recorded.json()));
        assertThat(Recordings.streams(Recordings.json(body).path("data").path("result")))
                .isEqualTo(Recordings.streams(recorded.json().path("data").path("result")));
    }

    @Test
    void lokiRefusalsAreTheRecordedBytes() throws Exception {
        assertSameBytes(get(loki.url() + LokiRecording.QUERY_PATH.replace("limit=100", "limit=10000"), "t"),
                "loki-2.8.0/query-range-limit.http");
        assertSameBytes(post(loki.url() + "/loki/api/v1/push", "t", Recordings.text("loki-2.8.0/push-structured-metadata.json")),
                "loki-2.8.0/push-structured-metadata.http");
        assertSameBytes(get(loki.url() + LokiRecording.QUERY_PATH, null), "loki-2.8.0/no-org-id.http");
        assertSameBytes(get(loki.url() + "/loki/api/v1/status/buildinfo", null), "loki-2.8.0/buildinfo.http");
    }

    /** The query the Loki recording answers (see recordings/README.md). */
    static final class LokiRecording {
        static final String QUERY_PATH = "/loki/api/v1/query_range?query="
                + URLEncoder.encode("{service_name=\"recording\"}", StandardCharsets.UTF_8)
                + "&start=1796600000000000000&end=1796700000000000000&limit=100&direction=backward";
    }
}
