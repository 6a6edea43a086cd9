package io.llmobservatory.enrich.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.llmobservatory.enrich.config.EnrichConfig.Stores.Loki.StructuredMetadata;
import io.llmobservatory.shared.loki.LokiFormat;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.LogRecordData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Loki adapter against a local HTTP server that answers like Loki's push API: 204 on success, and the recorded
 * 429 (rate limit), 400 (out-of-order entry) and 401 (no tenant) answers.
 */
class LokiSenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> tenants = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> script = Collections.synchronizedList(new ArrayList<>());
    /** The version the stand-in's buildinfo reports; null: no buildinfo (404). */
    private volatile String version = "3.3.2";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/loki/api/v1/status/buildinfo", exchange -> {
            // Loki 2.8.0's answer (recorded), with the version this test sets.
            byte[] answer = version == null ? new byte[0] : ("{\"version\":\"" + version + "\",\"revision\":\"0a8ca0b\","
                    + "\"branch\":\"HEAD\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(version == null ? 404 : 200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/loki/api/v1/push", exchange -> {
            String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            tenants.add(tenant);
            int status = tenant == null ? 401 : script.isEmpty() ? 204 : script.remove(0);
            byte[] answer = status == 204 ? new byte[0] : resource("/loki/push-" + status + ".txt");
            exchange.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
            if (status != 204) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LokiSender sender() {
        return new LokiSender("http://127.0.0.1:" + server.getAddress().getPort() + "/", Duration.ofSeconds(5),
                StructuredMetadata.AUTO);
    }

    @Test
    void pushesStreamsWithLowCardinalityLabelsAndEverythingElseAsStructuredMetadata() throws Exception {
        sender().send("tenant-a", List.of(
                log(1_795_773_600_123_456_789L, 9, "hello", Map.of("gen_ai.provider.name", "OpenAI",
                        "gen_ai.request.model", "gpt-4o", "http.route", "/chat"), "5b8efff798038103d269b633813fc60c",
                        "eee19b7ec3c1b174"),
                log(1_795_773_600_200_000_000L, 17, Map.of("error", "boom"), Map.of(), "", ""))).join();

        assertThat(tenants).containsExactly("tenant-a");
        JsonNode push = JSON.readTree(bodies.get(0));
        assertThat(push.get("streams")).hasSize(2);
        JsonNode info = push.get("streams").get(0);
        assertThat(info.get("stream")).isEqualTo(JSON.readTree(
                "{\"model\":\"gpt-4o\",\"provider\":\"openai\",\"service_name\":\"bot\",\"severity\":\"info\"}"));
        JsonNode value = info.get("values").get(0);
        assertThat(value.get(0).asText()).isEqualTo("1795773600123456789"); // nanoseconds, as a string
        assertThat(value.get(1).asText()).isEqualTo("hello");
        assertThat(value.get(2).get("trace_id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(value.get(2).get("span_id").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(value.get(2).get("http.route").asText()).isEqualTo("/chat");
        JsonNode error = push.get("streams").get(1);
        assertThat(error.get("stream").get("severity").asText()).isEqualTo("error");
        assertThat(JSON.readTree(error.get("values").get(0).get(1).asText())).isEqualTo(JSON.readTree("{\"error\":\"boom\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.8.0", "v2.9.10", "", "none"})
    void belowLoki3TheMetadataTravelsInAJsonEnvelopeLine(String reported) throws Exception {
        // "none": no buildinfo at all (404); "": a Loki built without version flags, as from source.
        version = reported.equals("none") ? null : reported;
        sender().send("tenant-a", List.of(log(1_795_773_600_123_456_789L, 9, "hello",
                Map.of("gen_ai.request.model", "gpt-4o", "http.route", "/chat"), "5b8efff798038103d269b633813fc60c",
                "eee19b7ec3c1b174"))).join();

        JsonNode value = JSON.readTree(bodies.get(0)).get("streams").get(0).get("values").get(0);
        assertThat(value).hasSize(2); // no structured metadata: Loki 2.x refuses it
        assertThat(JSON.readTree(value.get(1).asText())).isEqualTo(JSON.readTree("{\"body\":\"hello\","
                + "\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":\"eee19b7ec3c1b174\","
                + "\"severity_number\":\"9\",\"gen_ai.request.model\":\"gpt-4o\",\"http.route\":\"/chat\"}"));
        LokiFormat.Line line = LokiFormat.unwrap(value.get(1).asText()).orElseThrow();
        assertThat(line.body()).isEqualTo("hello");
        assertThat(line.metadata()).containsEntry("trace_id", "5b8efff798038103d269b633813fc60c");
    }

    @Test
    void loki3GetsStructuredMetadataAndTheSettingOverridesTheVersion() throws Exception {
        version = "3.0.0";
        sender().send("t", List.of(log(1, 9, "x", Map.of(), "5b8efff798038103d269b633813fc60c", ""))).join();
        assertThat(JSON.readTree(bodies.get(0)).get("streams").get(0).get("values").get(0)).hasSize(3);
        new LokiSender("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(5), StructuredMetadata.FALSE)
                .send("t", List.of(log(1, 9, "x", Map.of(), "", ""))).join();
        assertThat(JSON.readTree(bodies.get(1)).get("streams").get(0).get("values").get(0)).hasSize(2);
    }

    @Test
    void rateLimitsAreRetryableAndRejectedEntriesAreNot() {
        script.add(429);
        assertThatThrownBy(() -> sender().send("t", List.of(log(1, 9, "x", Map.of(), "", ""))).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(SendException.class)
                .satisfies(e -> assertThat(((SendException) e).retryable()).isTrue())
                .hasMessageContaining("Ingestion rate limit exceeded");
        script.add(400);
        assertThatThrownBy(() -> sender().send("t", List.of(log(1, 9, "x", Map.of(), "", ""))).join())
                .cause().satisfies(e -> assertThat(((SendException) e).retryable()).isFalse())
                .hasMessageContaining("entry too far behind");
    }

    @Test
    void theQueueRetriesUntilLokiIsBackAndCountsWhatItSent() throws Exception {
        script.add(429);
        script.add(429);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ExportQueue<List<LogRecordData>> queue = new ExportQueue<>(sender(), "log.records", 10, 5,
                Duration.ofMillis(10), Duration.ofMillis(50), registry)) {
            assertThat(queue.offer("t", List.of(log(1, 9, "a", Map.of(), "", ""), log(2, 9, "b", Map.of(), "", "")))).isTrue();
            for (int i = 0; i < 200 && queue.size() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(queue.size()).isZero();
        }
        assertThat(bodies).hasSize(3);
        assertThat(registry.get("otelcol.exporter.sent.log.records").tag("exporter", "loki").counter().count()).isEqualTo(2);
        assertThat(registry.get("otelcol.exporter.send.failed.log.records").counter().count()).isZero();
    }

    @Test
    void exhaustedRetriesAndAFullQueueAreCountedNotSilent() throws Exception {
        for (int i = 0; i < 10; i++) {
            script.add(429);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ExportQueue<List<LogRecordData>> queue = new ExportQueue<>(sender(), "log.records", 1, 3,
                Duration.ofMillis(10), Duration.ofMillis(20), registry)) {
            assertThat(queue.offer("t", List.of(log(1, 9, "a", Map.of(), "", "")))).isTrue();
            assertThat(queue.offer("t", List.of(log(2, 9, "b", Map.of(), "", "")))).isFalse(); // capacity 1
            for (int i = 0; i < 200 && queue.size() > 0; i++) {
                Thread.sleep(10);
            }
        }
        assertThat(registry.get("otelcol.exporter.send.failed.log.records").counter().count()).isEqualTo(1);
        assertThat(registry.get("otelcol.exporter.enqueue.failed.log.records").counter().count()).isEqualTo(1);
        assertThat(registry.get("otelcol.exporter.queue.capacity").gauge().value()).isEqualTo(1);
    }

    static LogRecordData log(long time, int severity, Object body, Map<String, Object> attributes, String trace,
                             String span) {
        return new LogRecordData(time, 0, severity, "", body, Attributes.of(attributes), 0, 0, trace, span, "", "bot",
                Attributes.empty(), InstrumentationScope.EMPTY);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LokiSenderTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
