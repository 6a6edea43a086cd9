package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The REST API over rows written the way enrich writes them, in a real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class QueryApiTest {
    private static final String TENANT = "query-api-test";
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        // Quarkus has migrated the schema before any test method runs; @BeforeAll runs after start-up.
        pg.psql("DELETE FROM llm_calls WHERE tenant = '" + TENANT + "'; DELETE FROM spans WHERE tenant = '" + TENANT + "'");
        insertCall(pg, "01", NOW.minusSeconds(3600), "openai", "gpt-4o", 1000, 500, "0.0075", 1_000_000_000L);
        insertCall(pg, "02", NOW.minusSeconds(1800), "openai", "gpt-4o", 3000, 1000, "0.015", 3_000_000_000L);
        insertCall(pg, "03", NOW.minusSeconds(600), "anthropic", "claude-3-5-sonnet", 2000, 100, "0.0048", 500_000_000L);
        insertCall(pg, "04", NOW.minusSeconds(60), "acme", "acme-1", 10, 10, null, 100_000_000L);
        // Outside the default window, and another tenant: neither may count.
        insertCall(pg, "05", NOW.minus(3, ChronoUnit.DAYS), "openai", "gpt-4o", 1, 1, "100", 1L);
        pg.psql("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, "
                + "output_tokens, cost_usd, priced, price_source, status_code, duration_ns, dialect) VALUES ('other', "
                + "decode('" + TRACE + "','hex'), decode('00000000000000aa','hex'), now(), 's', 'openai', 'gpt-4o', 1, 1, "
                + "50, true, 'x', 0, 1, 'otel-genai')");
        pg.psql("INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind, start_time, start_time_unix_nano, "
                + "end_time_unix_nano, duration_ns, status_code, service_name, attributes, events, links, resource_attributes, "
                + "scope_name, scope_attributes) VALUES "
                + "('" + TENANT + "', decode('" + TRACE + "','hex'), decode('00000000000000b2','hex'), decode('00000000000000b1','hex'),"
                + " 'chat gpt-4o', 3, to_timestamp(1795773600.5), 1795773600500000000, 1795773601500000000, 1000000000, 2, 'bot',"
                + " '{\"gen_ai.request.model\":\"gpt-4o\",\"n\":3}', '[{\"name\":\"e\",\"timeUnixNano\":1,\"attributes\":{}}]', '[]',"
                + " '{\"service.name\":\"bot\"}', 'lib', '{}'),"
                + "('" + TENANT + "', decode('" + TRACE + "','hex'), decode('00000000000000b1','hex'), NULL,"
                + " 'POST /chat', 2, to_timestamp(1795773600), 1795773600000000000, 1795773602000000000, 2000000000, 0, 'bot',"
                + " '{}', '[]', '[]', '{\"service.name\":\"bot\"}', 'lib', '{}')");

        Rollups.rebuild(pg);
    }

    private static void insertCall(PostgresCluster pg, String spanSuffix, Instant time, String provider, String model,
                                   long input, long output, String cost, long durationNs) {
        pg.psql("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, "
                + "output_tokens, cost_usd, priced, price_source, status_code, duration_ns, dialect) VALUES ('" + TENANT
                + "', decode('" + TRACE + "','hex'), decode('00000000000000" + spanSuffix + "','hex'), '" + time + "', 'bot', '"
                + provider + "', '" + model + "', " + input + ", " + output + ", " + (cost == null ? "NULL" : cost) + ", "
                + (cost != null) + ", 'test', 0, " + durationNs + ", 'otel-genai')");
    }

    private static io.restassured.specification.RequestSpecification api() {
        return RestAssured.given().header("X-Scope-OrgID", TENANT);
    }

    /**
     * Without user/session/status filters cost by model reads whole hours from the hourly rollup and the window's
     * edges from raw rows; status=ok forces the raw-row query (every fixture call is OK). Both must agree for windows
     * that start and end anywhere: inside an hour, on an hour, spanning no whole hour.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"24h", "90m", "61m", "30m", "5m", "4d", "hour-aligned"})
    void rollupAndRawRowsGiveTheSameCostByModel(String window) {
        Instant hour = NOW.truncatedTo(ChronoUnit.HOURS);
        String from = window.equals("hour-aligned") ? hour.minus(2, ChronoUnit.HOURS).toString() : window;
        String to = window.equals("hour-aligned") ? hour.toString() : "now";
        Object viaRollup = api().queryParam("from", from).queryParam("to", to).get("/api/v1/costs/by-model").then()
                .statusCode(200).extract().jsonPath().get("models");
        Object viaRaw = api().queryParam("from", from).queryParam("to", to).queryParam("status", "ok")
                .get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath().get("models");
        assertThat(viaRollup).isEqualTo(viaRaw);
    }

    @Test
    void costByModelSumsTheWindowMostExpensiveFirst() {
        JsonPath body = api().get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("models.model", String.class)).containsExactly("gpt-4o", "claude-3-5-sonnet", "acme-1");
        assertThat(new BigDecimal(body.getString("totalCostUsd"))).isEqualByComparingTo("0.0273");
        assertThat(new BigDecimal(body.getString("models[0].costUsd"))).isEqualByComparingTo("0.0225");
        assertThat(body.getLong("models[0].requests")).isEqualTo(2);
        assertThat(body.getLong("models[0].inputTokens")).isEqualTo(4000);
        assertThat(body.getLong("models[0].outputTokens")).isEqualTo(1500);
        assertThat(body.getDouble("models[0].avgLatencyMs")).isEqualTo(2000.0);
        assertThat(body.getString("models[0].provider")).isEqualTo("openai");
        assertThat(body.getLong("models[2].unpricedRequests")).isEqualTo(1);
        assertThat(new BigDecimal(body.getString("models[2].costUsd"))).isEqualByComparingTo("0");
    }

    @Test
    void costByModelHonoursFromAndTo() {
        JsonPath body = api().queryParam("from", NOW.minusSeconds(2000).toString()).queryParam("to", "5m")
                .get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        assertThat(body.getList("models.model", String.class)).containsExactly("gpt-4o", "claude-3-5-sonnet");
        assertThat(new BigDecimal(body.getString("totalCostUsd"))).isEqualByComparingTo("0.0198");
        JsonPath week = api().queryParam("from", "7d").get("/api/v1/costs/by-model").then().statusCode(200)
                .extract().jsonPath();
        assertThat(week.getLong("models[0].requests")).isEqualTo(3);
    }

    @Test
    void costByModelTakesTheCommonFilters() {
        JsonPath body = api().queryParam("provider", "anthropic").get("/api/v1/costs/by-model").then().statusCode(200)
                .extract().jsonPath();
        assertThat(body.getList("models.model", String.class)).containsExactly("claude-3-5-sonnet");
        assertThat(api().queryParam("model", "gpt-4o").queryParam("status", "error").get("/api/v1/costs/by-model")
                .then().statusCode(200).extract().jsonPath().getList("models")).isEmpty();
    }

    @Test
    void badParametersAre400WithAJsonError() {
        api().queryParam("from", "yesterday").get("/api/v1/costs/by-model").then().statusCode(400)
                .contentType("application/json")
                .body("status", equalTo(400)).body("error", equalTo("bad_request"))
                .body("message", containsString("'from' must be an RFC 3339 time"));
        api().queryParam("from", "1h").queryParam("to", "2h").get("/api/v1/costs/by-model").then().statusCode(400)
                .body("message", containsString("must be before"));
        RestAssured.given().header("X-Scope-OrgID", "no spaces please").get("/api/v1/costs/by-model").then()
                .statusCode(400).body("message", containsString("X-Scope-OrgID"));
    }

    @Test
    void traceByIdReturnsItsSpansInStartOrder() {
        JsonPath trace = api().get("/api/v1/traces/" + TRACE.toUpperCase()).then().statusCode(200).extract().jsonPath();
        assertThat(trace.getString("traceId")).isEqualTo(TRACE);
        assertThat(trace.getInt("spanCount")).isEqualTo(2);
        assertThat(trace.getList("spans.name", String.class)).containsExactly("POST /chat", "chat gpt-4o");
        assertThat(trace.getString("spans[0].parentSpanId")).isNull();
        assertThat(trace.getString("spans[1].parentSpanId")).isEqualTo("00000000000000b1");
        assertThat(trace.getString("spans[1].kind")).isEqualTo("CLIENT");
        assertThat(trace.getString("spans[1].statusCode")).isEqualTo("ERROR");
        assertThat(trace.getString("spans[1].startTime")).isEqualTo("2026-11-27T10:00:00.500Z");
        assertThat(trace.getLong("spans[1].startTimeUnixNano")).isEqualTo(1795773600500000000L);
        assertThat(trace.getDouble("spans[1].durationMs")).isEqualTo(1000.0);
        assertThat(trace.getString("spans[1].attributes.'gen_ai.request.model'")).isEqualTo("gpt-4o");
        assertThat(trace.getInt("spans[1].attributes.n")).isEqualTo(3);
        assertThat(trace.getString("spans[1].events[0].name")).isEqualTo("e");
        assertThat(trace.getString("spans[1].resource.'service.name'")).isEqualTo("bot");
    }

    @Test
    void unknownTracesAre404AndMalformedIds400() {
        api().get("/api/v1/traces/0000000000000000000000000000abcd").then().statusCode(404)
                .contentType("application/json").body("error", equalTo("not_found"))
                .body("message", containsString("0000000000000000000000000000abcd"));
        RestAssured.given().header("X-Scope-OrgID", "someone-else").get("/api/v1/traces/" + TRACE).then().statusCode(404);
        api().get("/api/v1/traces/not-a-trace-id").then().statusCode(400).body("message", containsString("32 hex digits"));
        api().get("/api/v1/traces/00000000000000000000000000000000").then().statusCode(400);
    }

    @Test
    void unknownPathsAre404InTheSameShape() {
        api().get("/api/v1/nothing-here").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void aTracesLlmCallsAreItsTenantsWithTokensCostAndPriceSource() {
        JsonPath calls = api().get("/api/v1/traces/" + TRACE + "/calls").then().statusCode(200).extract().jsonPath();
        // Time order; the other tenant's call under the same trace id is not there.
        assertThat(calls.getList("spanId")).containsExactly("0000000000000005", "0000000000000001",
                "0000000000000002", "0000000000000003", "0000000000000004");
        assertThat(new BigDecimal(calls.getString("[1].costUsd"))).isEqualByComparingTo("0.0075");
        assertThat(calls.getInt("[1].inputTokens")).isEqualTo(1000);
        assertThat(calls.getInt("[1].outputTokens")).isEqualTo(500);
        assertThat(calls.getString("[1].priceSource")).isEqualTo("test");
        assertThat(calls.getBoolean("[1].priced")).isTrue();
        assertThat(calls.getDouble("[1].durationMs")).isEqualTo(1000.0);
        assertThat(calls.getString("[4].model")).isEqualTo("acme-1");
        assertThat(calls.getBoolean("[4].priced")).isFalse();
        assertThat(calls.getString("[4].costUsd")).isNull();
        api().get("/api/v1/traces/" + "ab".repeat(16) + "/calls").then().statusCode(200).body("size()", equalTo(0));
        api().get("/api/v1/traces/not-hex/calls").then().statusCode(400).body("error", equalTo("bad_request"));
    }

    @Test
    void theAlertingPassThroughReadsOnlyAlertingsReadApiAndSaysWhenAlertingIsDown() {
        api().get("/api/v1/alerting/silences").then().statusCode(404).body("error", equalTo("not_found"));
        // The test profile points at a closed port.
        api().get("/api/v1/alerting/alerts").then().statusCode(503).body("error", equalTo("unavailable"))
                .header("Retry-After", "5");
    }
}
