package io.llmobservatory.e2e;

import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** Every service is probe-able and scrape-able; readiness names the dependencies it really checks. */
class ServicesIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void everyServiceIsReadyAndServesMetrics() {
        for (int port : List.of(suite.ingestHttpPort, suite.enrichPort, suite.queryPort, suite.alertingPort)) {
            RestAssured.given().baseUri("http://127.0.0.1:" + port).get("/q/health/live").then().statusCode(200);
            awaitReady(port);
            RestAssured.given().baseUri("http://127.0.0.1:" + port).get("/q/metrics").then().statusCode(200)
                    .body(containsString("process_cpu_usage"));
        }
    }

    /** Ready within a probe period: an earlier test may just have restarted PostgreSQL or enrich. */
    private static void awaitReady(int port) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline
                && RestAssured.given().baseUri("http://127.0.0.1:" + port).get("/q/health/ready").statusCode() != 200) {
            Suite.sleep(200);
        }
        RestAssured.given().baseUri("http://127.0.0.1:" + port).get("/q/health/ready").then().log().ifValidationFails()
                .statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksTheRealDependencies() {
        RestAssured.given().baseUri(suite.ingestHttpUrl()).get("/q/health/ready").then()
                .body("checks.name", hasItems("enrich"));
        RestAssured.given().baseUri("http://127.0.0.1:" + suite.enrichPort).get("/q/health/ready").then()
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check"));
        RestAssured.given().baseUri(suite.queryUrl()).get("/q/health/ready").then()
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check"));
    }

    @Test
    void ingestCountsSpansWithTheCollectorsMetricNames() {
        String tenant = Llm.newTenant("metrics");
        long t = OtlpJson.nowNanos();
        String body = OtlpJson.request("m", List.of(
                OtlpJson.span(OtlpJson.randomHex(16), OtlpJson.randomHex(8), "ok", t, t + 1),
                OtlpJson.span("00", OtlpJson.randomHex(8), "bad", t, t + 1)));
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant)).contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/v1/traces").then().statusCode(200);
        RestAssured.given().baseUri(suite.ingestHttpUrl()).get("/q/metrics").then().statusCode(200)
                .body(containsString("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"http\"}"))
                .body(containsString("otelcol_receiver_refused_spans_total{receiver=\"otlp\",transport=\"http\"}"));
        RestAssured.given().baseUri("http://127.0.0.1:" + suite.enrichPort).get("/q/metrics").then().statusCode(200)
                .body(containsString("observatory_enrich_stored_spans_total"));
    }
}
