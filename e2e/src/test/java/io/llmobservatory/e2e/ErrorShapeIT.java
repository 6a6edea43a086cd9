package io.llmobservatory.e2e;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's own REST API fails in one JSON shape, {@code {"status", "error", "message"}}, with the same error
 * names for the same statuses (OTLP/HTTP on ingest answers the protocol's google.rpc.Status instead).
 */
class ErrorShapeIT {
    private static final Map<Integer, String> NAMES = Map.of(400, "bad_request", 401, "unauthenticated",
            403, "forbidden", 404, "not_found", 503, "unavailable");
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    record Case(String what, int status, Supplier<Response> call) {
    }

    @Test
    void everyServiceAnswersErrorsInOneShapeWithTheSameNames() {
        String tenant = Llm.newTenant("errors");
        String queryKey = suite.createKey(tenant, List.of("query"));
        String query = suite.queryUrl();
        String enrich = "http://127.0.0.1:" + suite.enrichPort;
        String alerting = "http://127.0.0.1:" + suite.alertingPort;
        String window = "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-02T00:00:00Z\"}";
        List<Case> cases = List.of(
                new Case("query 401", 401, () -> plain(query).get("/api/v1/costs/by-model")),
                new Case("query 403", 403, () -> key(query, queryKey).get("/api/v1/admin/keys?tenant=other")),
                new Case("query 400", 400, () -> key(query, queryKey).get("/api/v1/logs?limit=2147483648")),
                new Case("query 400 NUL", 400, () -> key(query, queryKey).urlEncodingEnabled(false)
                        .get("/api/v1/costs/by-model?model=a%00b")),
                new Case("query 404", 404, () -> key(query, queryKey).get("/api/v1/traces/" + OtlpJson.randomHex(16))),
                new Case("enrich 401", 401, () -> plain(enrich).contentType("application/json").body(window)
                        .post("/admin/v1/recompute")),
                new Case("enrich 403", 403, () -> key(enrich, queryKey).contentType("application/json").body(window)
                        .post("/admin/v1/recompute")),
                new Case("enrich 400", 400, () -> Suite.asOperator().baseUri(enrich).contentType("application/json")
                        .body("{}").post("/admin/v1/recompute")),
                new Case("enrich 404", 404, () -> Suite.asOperator().baseUri(enrich)
                        .get("/admin/v1/recompute/" + UUID.randomUUID())),
                new Case("alerting 401", 401, () -> plain(alerting).get("/api/v1/rules")),
                new Case("alerting 403", 403, () -> key(alerting, queryKey).get("/api/v1/rules")),
                new Case("alerting 400", 400, () -> Suite.asOperator().baseUri(alerting)
                        .get("/api/v1/alerts/history?limit=2147483648")),
                new Case("alerting 503", 503, () -> Suite.asOperator().baseUri(alerting).get("/api/v1/silences")));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            Response r = c.call().get();
            Map<String, Object> body;
            try {
                body = r.jsonPath().getMap("$");
            } catch (RuntimeException e) {
                wrong.add(c.what() + ": not JSON: " + r.asString());
                continue;
            }
            if (r.statusCode() != c.status() || body == null || !body.keySet().equals(java.util.Set.of("status", "error", "message"))
                    || !Integer.valueOf(c.status()).equals(body.get("status")) || !NAMES.get(c.status()).equals(body.get("error"))
                    || !(body.get("message") instanceof String m) || m.isBlank()) {
                wrong.add(c.what() + ": " + r.statusCode() + " " + r.asString());
            }
        }
        assertThat(wrong).as("answers not in the one error shape").isEmpty();
    }

    private static RequestSpecification plain(String base) {
        return RestAssured.given().baseUri(base);
    }

    private static RequestSpecification key(String base, String key) {
        return RestAssured.given().baseUri(base).header("Authorization", "Bearer " + key);
    }
}
