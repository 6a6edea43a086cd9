package io.llmobservatory.e2e;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** OTLP/HTTP with JSON bodies as the specification writes them, and the error contract of the edge. */
class OtlpHttpIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    private static Response post(String tenant, String contentType, byte[] body, String encoding) {
        var request = RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .contentType(contentType).body(body);
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return request.post("/v1/traces");
    }

    @Test
    void jsonWithHexIdsIsStoredAndPricedAndAnsweredInJson() {
        String tenant = Llm.newTenant("json");
        String traceId = OtlpJson.randomHex(16);
        long start = OtlpJson.nowNanos();
        String body = OtlpJson.request("rag-api", List.of(
                OtlpJson.chatSpan(traceId, OtlpJson.randomHex(8), start, 2_000_000_000L, "gpt-4o-mini", 10_000, 2_000)));
        post(tenant, "application/json", body.getBytes(StandardCharsets.UTF_8), null).then()
                .statusCode(200).contentType("application/json").body(equalTo("{}"));

        JsonPath costs = Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        // gpt-4o-mini: $0.15 input, $0.60 output per million: 10000*0.15 + 2000*0.6 = 2700 micro-USD.
        assertThat(costs.getString("models[0].model")).isEqualTo("gpt-4o-mini");
        assertThat(Llm.dec(costs.get("models[0].costUsd"))).isEqualByComparingTo("0.0027");
        assertThat(Llm.dec(costs.get("models[0].avgLatencyMs"))).isEqualByComparingTo("2000");

        Llm.query(suite, tenant).get("/api/v1/traces/" + traceId).then().statusCode(200)
                .body("spans[0].traceId", equalTo(traceId))
                .body("spans[0].serviceName", equalTo("rag-api"))
                .body("spans[0].statusCode", equalTo("OK"));
    }

    @Test
    void gzipJsonIsAccepted() throws IOException {
        String tenant = Llm.newTenant("gzip");
        String traceId = OtlpJson.randomHex(16);
        String body = OtlpJson.request("gz", List.of(OtlpJson.span(traceId, OtlpJson.randomHex(8), "work",
                OtlpJson.nowNanos(), OtlpJson.nowNanos() + 5)));
        post(tenant, "application/json", gzip(body.getBytes(StandardCharsets.UTF_8)), "gzip").then().statusCode(200);
        Llm.query(suite, tenant).get("/api/v1/traces/" + traceId).then().statusCode(200).body("spanCount", equalTo(1));
    }

    @Test
    void aBatchSentTwiceIsStoredOnceAndCostedOnce() {
        String tenant = Llm.newTenant("dup");
        String traceId = OtlpJson.randomHex(16);
        long start = OtlpJson.nowNanos();
        byte[] body = OtlpJson.request("dup", List.of(
                OtlpJson.chatSpan(traceId, OtlpJson.randomHex(8), start, 1_000_000L, "gpt-4o", 1000, 500),
                OtlpJson.chatSpan(traceId, OtlpJson.randomHex(8), start, 1_000_000L, "gpt-4o", 1000, 500)))
                .getBytes(StandardCharsets.UTF_8);
        post(tenant, "application/json", body, null).then().statusCode(200);
        post(tenant, "application/json", body, null).then().statusCode(200);

        assertThat(suite.postgres.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("2");
        assertThat(suite.postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("2");
        JsonPath costs = Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        assertThat(Llm.dec(costs.get("models[0].requests"))).isEqualByComparingTo("2");
        assertThat(Llm.dec(costs.get("models[0].costUsd"))).isEqualByComparingTo("0.015");
    }

    @Test
    void invalidSpansAreRejectedThroughPartialSuccessAndTheRestIsKept() {
        String tenant = Llm.newTenant("partial");
        String good = OtlpJson.randomHex(16);
        long t = OtlpJson.nowNanos();
        String body = OtlpJson.request("partial", List.of(
                OtlpJson.span(good, OtlpJson.randomHex(8), "good-1", t, t + 10),
                OtlpJson.span("00000000000000000000000000000000", OtlpJson.randomHex(8), "zero-trace", t, t + 10),
                OtlpJson.span(good, OtlpJson.randomHex(8), "ends-before-start", t, t - 10),
                OtlpJson.span("abc", OtlpJson.randomHex(8), "short-trace-id", t, t + 10),
                OtlpJson.span(good, OtlpJson.randomHex(8), "good-2", t, t + 10)));
        post(tenant, "application/json", body.getBytes(StandardCharsets.UTF_8), null).then().statusCode(200)
                .body("partialSuccess.rejectedSpans", equalTo("3"))
                .body("partialSuccess.errorMessage", containsString("rejected 3 of 5 spans"))
                .body("partialSuccess.errorMessage", containsString("\"zero-trace\": trace_id must not be all zeros"));
        Llm.query(suite, tenant).get("/api/v1/traces/" + good).then().statusCode(200)
                .body("spans.name", org.hamcrest.Matchers.containsInAnyOrder("good-1", "good-2"));
    }

    /** A value the store cannot hold refuses its span alone, through partial success; the valid span is stored. */
    @Test
    void aValueTheStoreCannotHoldIsRefusedPerSpan() {
        String tenant = Llm.newTenant("overflow");
        String trace = OtlpJson.randomHex(16);
        long t = OtlpJson.nowNanos();
        String body = OtlpJson.request("overflow", List.of(
                OtlpJson.chatSpan(trace, OtlpJson.randomHex(8), t, 1_000_000L, "gpt-4o", 1000, 500),
                OtlpJson.chatSpan(trace, OtlpJson.randomHex(8), t, 1_000_000L, "gpt-4o", Long.MAX_VALUE, 500)));
        post(tenant, "application/json", body.getBytes(StandardCharsets.UTF_8), null).then().statusCode(200)
                .body("partialSuccess.rejectedSpans", equalTo("1"))
                .body("partialSuccess.errorMessage", containsString("rejected 1 of 2 spans"))
                .body("partialSuccess.errorMessage", containsString("9223372036854775807"));
        assertThat(suite.postgres.psql("SELECT count(*), sum(input_tokens) FROM llm_calls WHERE tenant = '" + tenant
                + "'")).isEqualTo("1|1000");
    }

    /** An unpaired surrogate is the client's mistake: 400, counted, and no protobuf WARNING per request. */
    @Test
    void anUnpairedSurrogateIsRefusedAndCounted() {
        String tenant = Llm.newTenant("surrogate");
        String body = OtlpJson.request("surrogate", List.of(OtlpJson.span(OtlpJson.randomHex(16), OtlpJson.randomHex(8),
                "bad \\ud800 name", OtlpJson.nowNanos(), OtlpJson.nowNanos() + 5)));
        for (int i = 0; i < 3; i++) {
            post(tenant, "application/json", body.getBytes(StandardCharsets.UTF_8), null).then().statusCode(400)
                    .body("message", containsString("unpaired UTF-16 surrogate"));
        }
        String metrics = io.restassured.RestAssured.get(suite.ingestHttpUrl() + "/q/metrics").asString();
        assertThat(metrics).containsPattern(
                "observatory_ingest_rejected_requests_total\\{[^}]*reason=\"invalid_utf16\"[^}]*} [3-9]");
    }

    @Test
    void undecodablePayloadsAre400WithAReadableStatus() {
        String tenant = Llm.newTenant("garbage");
        post(tenant, "application/x-protobuf", "this is not protobuf \u0001\u0002".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(400).contentType("application/x-protobuf");
        post(tenant, "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(400).contentType("application/json")
                .body("code", equalTo(3)).body("message", containsString("malformed JSON"));
        post(tenant, "application/json", "{\"resourceSpans\": 7}".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(400).body("message", containsString("OTLP/JSON"));
        post(tenant, "application/json", "{}".getBytes(StandardCharsets.UTF_8), "gzip")
                .then().statusCode(400).body("message", containsString("gzip"));
        post(tenant, "text/plain", "hi".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(415).body("message", containsString("application/x-protobuf"));
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .header(Llm.TENANT_HEADER, "bad tenant!").contentType("application/json").body("{}").post("/v1/traces")
                .then().statusCode(400).body("message", containsString("X-Scope-OrgID"));
    }

    @Test
    void emptyRequestIsOk() {
        post(Llm.newTenant("empty"), "application/json", "{}".getBytes(StandardCharsets.UTF_8), null)
                .then().statusCode(200).body(equalTo("{}"));
        post(Llm.newTenant("empty"), "application/x-protobuf", new byte[0], null).then().statusCode(200);
    }

    @Test
    void bodiesOver20MiBAfterDecompressionAre413() throws IOException {
        byte[] zeros = new byte[21 * 1024 * 1024];
        post(Llm.newTenant("big"), "application/x-protobuf", gzip(zeros), "gzip").then().statusCode(413);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
