package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The suite with traces in a real Grafana Tempo and logs in a real Grafana Loki, both multi-tenant (Tempo 2.0.1 and
 * Loki 2.8.0 here: {@code OBSERVATORY_TEMPO_BIN}, {@code OBSERVATORY_LOKI_BIN}; skipped, loudly, without them). enrich
 * writes to them alone (the client is answered after they accepted the batch); a second query service reads from
 * them: trace by id with its logs, TraceQL, LogQL, the Tempo- and Loki-compatible paths, tenants through
 * {@code X-Scope-OrgID}. The real answers are also held against the recordings the stand-ins replay.
 */
class RealStoresIT {
    private static Suite suite;
    private static RealStores.Tempo tempo;
    private static RealStores.Loki loki;
    private static Suite.Extra query;

    @BeforeAll
    static void start() throws Exception {
        RealStores.assumeBinaries("RealStoresIT");
        suite = Suite.get();
        tempo = RealStores.Tempo.start();
        loki = RealStores.Loki.start();
        loki.awaitReady();
        tempo.awaitReady();
        suite.restartEnrich(Map.of("OBSERVATORY_ENRICH_STORES_TRACES", "tempo",
                "OBSERVATORY_ENRICH_STORES_TEMPO_OTLP_ENDPOINT", tempo.otlpEndpoint(),
                "OBSERVATORY_ENRICH_STORES_LOGS", "loki",
                "OBSERVATORY_ENRICH_STORES_LOKI_URL", loki.url()));
        query = suite.startExtraQuery("stores", Map.of("OBSERVATORY_QUERY_STORES_TRACES", "tempo",
                "OBSERVATORY_QUERY_STORES_TEMPO_URL", tempo.url(),
                "OBSERVATORY_QUERY_STORES_LOGS", "loki",
                "OBSERVATORY_QUERY_STORES_LOKI_URL", loki.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite == null) {
            return;
        }
        if (query != null) {
            query.close();
        }
        suite.restartEnrich(Map.of());
        if (tempo != null) {
            tempo.close();
        }
        if (loki != null) {
            loki.close();
        }
    }

    private static io.restassured.specification.RequestSpecification asTenant(String tenant) {
        return RestAssured.given().baseUri(query.url()).header("Authorization", Llm.bearer(suite, tenant));
    }

    private static String sendTrace(String tenant) {
        return sendTrace(suite, tenant);
    }

    private static void sendLogs(String tenant, String trace, int count, String prefix) {
        sendLogs(suite, tenant, trace, count, prefix);
    }

    /** Sends a chat trace through ingest (OTLP/gRPC, the SDK's exporter): OK only once the trace store accepted it. */
    static String sendTrace(Suite suite, String tenant) {
        SdkTracerProvider provider = Llm.provider("real-stores-app", OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                .addHeader("Authorization", Llm.bearer(suite, tenant)).setTimeout(30, TimeUnit.SECONDS).build());
        try {
            String trace = Llm.chatTrace(provider.get("real-stores"), "openai", "gpt-4o", 1000, 500, null, "u1", false);
            Llm.flush(provider);
            return trace;
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code count} log records of {@code trace} through ingest (OTLP/HTTP JSON), in batches of 1000. */
    static void sendLogs(Suite suite, String tenant, String trace, int count, String prefix) {
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        for (int from = 0; from < count; from += 1000) {
            List<String> records = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 1000); i++) {
                records.add("{\"timeUnixNano\":\"" + (now - (count - i) * 1_000_000L) + "\",\"severityNumber\":9,"
                        + "\"body\":{\"stringValue\":\"" + prefix + " " + i + "\"},\"traceId\":\"" + trace + "\","
                        + "\"attributes\":[{\"key\":\"step\",\"value\":{\"intValue\":\"" + i + "\"}}]}");
            }
            String body = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                    + "{\"stringValue\":\"real-stores-app\"}}]},\"scopeLogs\":[{\"logRecords\":[" + String.join(",", records)
                    + "]}]}]}";
            RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                    .contentType("application/json").body(body).post("/v1/logs").then().statusCode(200);
        }
    }

    /** Entries in a Loki streams answer. */
    private static int entries(JsonPath answer) {
        List<List<Object>> values = answer.getList("data.result.values");
        return values == null ? 0 : values.stream().mapToInt(List::size).sum();
    }

    /** Asks until {@code check} holds (the stores make data readable shortly after accepting it), at most 60 s. */
    private static <T> T eventually(Supplier<T> ask, java.util.function.Predicate<T> check) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        T last = ask.get();
        while (!check.test(last) && System.nanoTime() < deadline) {
            Suite.sleep(500);
            last = ask.get();
        }
        return last;
    }

    @Test
    void aTraceByIdJoinsTempoSpansAndLokiLogsPastLokisEntryLimit() {
        String tenant = Llm.newTenant("real");
        String trace = sendTrace(tenant);
        // More records than Loki 2.8 answers in one query (max_entries_limit_per_query 5000): read in pages.
        sendLogs(tenant, trace, 5_200, "step");
        JsonPath view = eventually(() -> asTenant(tenant).get("/api/v1/traces/" + trace).then().extract().jsonPath(),
                v -> Integer.valueOf(2).equals(v.get("spanCount")) && v.getList("logs").size() == 5_200);
        assertThat(view.getList("spans.name", String.class)).containsExactlyInAnyOrder("POST /chat", "chat gpt-4o");
        assertThat(view.getBoolean("logsUnavailable")).isFalse();
        assertThat(view.getList("logs")).hasSize(5_200);
        assertThat(view.getList("logs.traceId", String.class)).containsOnly(trace);
        assertThat(view.getString("logs[0].body")).isEqualTo("step 5199");
        assertThat(view.getInt("logs[0].severityNumber")).isEqualTo(9);
        assertThat(view.getString("logs[0].attributes.step")).isEqualTo("5199");
    }

    @Test
    void tempoPathsAndTraceQlAnswerFromTempo() {
        String tenant = Llm.newTenant("real-tempo");
        String trace = sendTrace(tenant);
        JsonPath v1 = eventually(() -> asTenant(tenant).get("/api/traces/" + trace).then().extract().jsonPath(),
                v -> v.getList("batches") != null && !v.getList("batches").isEmpty());
        assertThat(v1.getList("batches.scopeSpans.spans.name").toString()).contains("POST /chat", "chat gpt-4o");
        String q = "{ span.gen_ai.request.model = \"gpt-4o\" }";
        long now = Instant.now().getEpochSecond();
        JsonPath search = eventually(() -> asTenant(tenant).queryParam("q", q).queryParam("start", now - 600)
                .queryParam("end", now + 60).get("/api/search").then().statusCode(200).extract().jsonPath(),
                s -> s.getList("traces").size() == 1);
        assertThat(search.getString("traces[0].traceID")).isEqualTo(trace.replaceFirst("^0+", ""));
        assertThat(search.getString("traces[0].rootTraceName")).isEqualTo("POST /chat");
        asTenant(tenant).queryParam("q", q).queryParam("from", "1h").get("/api/v1/traces").then().statusCode(200)
                .body("[0].traceId", equalTo(trace)).body("[0].rootServiceName", equalTo("real-stores-app"));
        // Tempo's own refusal of a bad query is the caller's to fix: 400, not an outage.
        asTenant(tenant).queryParam("q", "{ span.x = }").get("/api/v1/traces").then().statusCode(400)
                .body("message", containsString("parse error"));
    }

    @Test
    void logQlIsForwardedToLoki() {
        String tenant = Llm.newTenant("real-loki");
        String trace = sendTrace(tenant);
        sendLogs(tenant, trace, 3, "line");
        String logql = "{service_name=\"real-stores-app\"} | json | trace_id=\"" + trace + "\"";
        JsonPath answer = eventually(() -> asTenant(tenant).queryParam("query", logql).queryParam("limit", 10)
                .get("/loki/api/v1/query_range").then().statusCode(200).extract().jsonPath(),
                a -> entries(a) == 3);
        assertThat(answer.getString("data.resultType")).isEqualTo("streams");
        assertThat(answer.getString("data.result[0].stream.trace_id")).isEqualTo(trace);
        assertThat(answer.getString("data.result[0].stream.body")).startsWith("line ");
        // Loki refuses a limit over its max_entries_limit_per_query: the caller's to fix, 400 with Loki's words.
        asTenant(tenant).queryParam("query", logql).queryParam("limit", 10_000).get("/loki/api/v1/query_range")
                .then().statusCode(400).body("message", containsString("max_entries_limit"));
        asTenant(tenant).queryParam("service", "real-stores-app").get("/api/v1/logs").then().statusCode(200)
                .body("size()", equalTo(3)).body("[0].traceId", equalTo(trace)).body("[0].body", equalTo("line 2"));
    }

    @Test
    void tenantsStayApartInTempoAndLoki() throws Exception {
        String a = Llm.newTenant("real-a");
        String b = Llm.newTenant("real-b");
        String trace = sendTrace(a);
        sendLogs(a, trace, 2, "only a");
        eventually(() -> asTenant(a).get("/api/v1/traces/" + trace).then().extract().jsonPath(),
                v -> v.getList("logs") != null && v.getList("logs").size() == 2);
        asTenant(b).get("/api/v1/traces/" + trace).then().statusCode(404);
        asTenant(b).get("/api/traces/" + trace).then().statusCode(404);
        asTenant(b).get("/api/v1/logs").then().statusCode(200).body("size()", equalTo(0));
        // The stores themselves hold the data under the tenant's X-Scope-OrgID and refuse requests without one.
        assertThat(StandInFidelityIT.get(tempo.url() + "/api/traces/" + trace, a).statusCode()).isEqualTo(200);
        assertThat(StandInFidelityIT.get(tempo.url() + "/api/traces/" + trace, b).statusCode()).isEqualTo(404);
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(tempo.url() + "/api/traces/" + trace, null),
                "tempo-2.0.1/trace-no-org-id.http");
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(loki.url() + StandInFidelityIT.LokiRecording.QUERY_PATH,
                null), "loki-2.8.0/no-org-id.http");
    }

    @Test
    void tempoAnswersAsRecorded() throws Exception {
        String tenant = "recorded-" + System.nanoTime();
        StandInFidelityIT.pushTrace(tempo.otlpEndpoint(), tenant, Recordings.text("tempo-2.0.1/push-trace.json"));
        // The same trace moved to now under another tenant: Tempo 2.0 searches a window older than 15 minutes in
        // its blocks only, where a trace just received is not yet.
        String recent = "recent-" + System.nanoTime();
        long shift = (Instant.now().getEpochSecond() - 60) * 1_000_000_000L - recordedSpanStart();
        StandInFidelityIT.pushTrace(tempo.otlpEndpoint(), recent, shiftNanos(Recordings.text("tempo-2.0.1/push-trace.json"),
                shift));
        String url = tempo.url() + "/api/traces/" + StandInFidelityIT.TRACE;
        HttpResponse<byte[]> trace = eventually(() -> unchecked(() -> StandInFidelityIT.get(url, tenant)),
                r -> r.statusCode() == 200);
        StandInFidelityIT.assertSameBytes(trace, "tempo-2.0.1/trace-v1.http");
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(tempo.url() + "/api/traces/" + StandInFidelityIT.TRACE,
                "nobody-" + System.nanoTime()), "tempo-2.0.1/trace-not-found.http");
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(tempo.url() + "/api/v2/traces/" + StandInFidelityIT.TRACE,
                tenant), "tempo-2.0.1/trace-v2-not-found.http");
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(tempo.url() + "/api/echo", null), "tempo-2.0.1/echo.http");
        JsonNode recorded = Recordings.answer("tempo-2.0.1/search.http").json();
        long start = (recordedSpanStart() + shift) / 1_000_000_000L;
        HttpResponse<byte[]> search = eventually(() -> unchecked(() -> StandInFidelityIT.get(tempo.url()
                        + StandInFidelityIT.searchPath("{ span.gen_ai.request.model = \"gpt-4o\" }", start - 600, start + 600),
                recent)), r -> Recordings.json(new String(r.body(), StandardCharsets.UTF_8)).path("traces").size() == 1);
        String real = shiftNanos(new String(search.body(), StandardCharsets.UTF_8), -shift);
        assertThat(Recordings.shape(real)).isEqualTo(Recordings.shape(recorded));
        assertThat(Recordings.json(real).path("traces")).isEqualTo(recorded.path("traces"));
    }

    @Test
    void lokiAnswersAsRecorded() throws Exception {
        String tenant = "recorded-" + System.nanoTime();
        // The recorded push, moved to now (Loki refuses entries older than a week).
        JsonNode push = Recordings.json(Recordings.text("loki-2.8.0/push-envelope.json"));
        long first = Long.MAX_VALUE;
        for (JsonNode stream : push.path("streams")) {
            for (JsonNode value : stream.path("values")) {
                first = Math.min(first, value.get(0).asLong());
            }
        }
        long recordedStart = 1_796_600_000_000_000_000L;
        long shift = (Instant.now().getEpochSecond() - 300) * 1_000_000_000L - first;
        shiftTimes(push, shift);
        assertThat(StandInFidelityIT.post(loki.url() + "/loki/api/v1/push", tenant, push.toString()).statusCode())
                .isEqualTo(204);
        String path = StandInFidelityIT.LokiRecording.QUERY_PATH.replace("start=1796600000000000000",
                "start=" + (recordedStart + shift)).replace("end=1796700000000000000", "end=" + (1_796_700_000_000_000_000L + shift));
        Recordings.Answer recorded = Recordings.answer("loki-2.8.0/query-range.http");
        HttpResponse<byte[]> answer = eventually(() -> unchecked(() -> StandInFidelityIT.get(loki.url() + path, tenant)),
                r -> Recordings.json(new String(r.body(), StandardCharsets.UTF_8)).path("data").path("result").size() == 2);
        JsonNode real = Recordings.json(new String(answer.body(), StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).isEqualTo(recorded.status());
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).isEqualTo(recorded.contentType());
        assertThat(Recordings.shape(real)).isEqualTo(Recordings.shape(recorded.json()));
        shiftTimes(real.path("data"), -shift);
        assertThat(Recordings.streams(real.path("data").path("result")))
                .isEqualTo(Recordings.streams(recorded.json().path("data").path("result")));
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.get(loki.url() + path.replace("limit=100", "limit=10000"),
                tenant), "loki-2.8.0/query-range-limit.http");
        StandInFidelityIT.assertSameBytes(StandInFidelityIT.post(loki.url() + "/loki/api/v1/push", tenant,
                Recordings.text("loki-2.8.0/push-structured-metadata.json")), "loki-2.8.0/push-structured-metadata.http");
        HttpResponse<byte[]> buildInfo = StandInFidelityIT.get(loki.url() + "/loki/api/v1/status/buildinfo", null);
        assertThat(Recordings.json(new String(buildInfo.body(), StandardCharsets.UTF_8)).path("version").asText())
                .isEqualTo(Recordings.answer("loki-2.8.0/buildinfo.http").json().path("version").asText());
    }

    /** The start of the recorded trace's first span, in ns. */
    private static long recordedSpanStart() {
        return Recordings.json(Recordings.text("tempo-2.0.1/push-trace.json")).path("resourceSpans").get(0)
                .path("scopeSpans").get(0).path("spans").get(0).path("startTimeUnixNano").asLong();
    }

    /** Adds {@code shift} to every {@code "...UnixNano": "<ns>"} in a JSON text. */
    private static String shiftNanos(String json, long shift) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\"\\w*UnixNano\":\")(\\d+)\"").matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1) + (Long.parseLong(m.group(2)) + shift) + "\"");
        }
        return m.appendTail(out).toString();
    }

    /** Adds {@code shift} ns to every entry time of a push body ({@code streams}) or an answer's data ({@code result}). */
    private static void shiftTimes(JsonNode node, long shift) {
        for (JsonNode stream : node.has("streams") ? node.path("streams") : node.path("result")) {
            for (JsonNode value : stream.path("values")) {
                ((ArrayNode) value).set(0, new TextNode(Long.toString(Long.parseLong(value.get(0).asText()) + shift)));
            }
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
