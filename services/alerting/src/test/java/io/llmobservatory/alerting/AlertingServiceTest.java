package io.llmobservatory.alerting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The alerting service runs, is probed and scraped like every other service, and serves its rules API. */
@QuarkusTest
class AlertingServiceTest {

    @Test
    void isLiveAndReady() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void exposesPrometheusMetrics() {
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void listsTheBuiltInRulesAndRendersThemForPrometheus() {
        RestAssured.get("/api/v1/rules").then().statusCode(200)
                .body("health.name", hasItems("HighErrorRate", "QueueFull", "QueueNearCapacity", "RefusedSpans", "DroppedSpans",
                        "RollupsBehind", "RollupDrainFailing"))
                .body("llm.kind", hasItems("error_rate", "p95_latency_ms", "unpriced_calls"));
        RestAssured.get("/api/v1/rules/prometheus").then().statusCode(200)
                .body(containsString("alert: HighErrorRate"))
                .body(containsString("rate({__name__=~\\\"otelcol_exporter_send_failed_spans(_total)?\\\"}[5m]) > 100"))
                .body(containsString("for: 5m"));
        RestAssured.get("/api/v1/rules/prometheus-rule").then().statusCode(200)
                .body(containsString("kind: PrometheusRule")).body(containsString("alert: QueueFull"));
    }

    @Test
    void invalidRulesAre400AndLeaveTheCurrentOnesInPlace() {
        RestAssured.given().contentType(ContentType.JSON).body("{\"health\": [{\"name\": \"X\", \"expr\": \"avg(x) > 1\"}]}")
                .put("/api/v1/rules").then().statusCode(400).body("message", containsString("aggregation 'avg'"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"health\": [{\"name\": \"X\", \"exp\": \"x > 1\"}]}")
                .put("/api/v1/rules").then().statusCode(400);
        RestAssured.get("/api/v1/rules").then().statusCode(200).body("health.name", hasItems("HighErrorRate"));
        RestAssured.get("/api/v1/alerts/history?limit=0").then().statusCode(400);
        RestAssured.get("/api/v1/alerts").then().statusCode(200);
        RestAssured.get("/api/v1/silences").then().statusCode(503);
    }
}
