package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** The analytics endpoints over LLM-call rows in a real PostgreSQL, with hand-computed answers. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AnalyticsApiTest {
    private static final String TENANT = "analytics-test";
    private static final String SPEND_TENANT = "spend-test";

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM llm_calls WHERE tenant IN ('" + TENANT + "', '" + SPEND_TENANT + "')");
        // All in one hour bucket: [start of the previous hour, start of this hour).
        String base = "date_trunc('hour', now()) - interval '30 minutes'";
        call(pg, TENANT, "01", base, "gpt-4o", "openai", "alice", "0.01", 100, 0);
        call(pg, TENANT, "02", base + " + interval '1 minute'", "gpt-4o", "openai", "alice", "0.02", 200, 0);
        call(pg, TENANT, "03", base + " + interval '2 minutes'", "gpt-4o", "openai", "bob", "0.5", 1000, 2);
        call(pg, TENANT, "04", base + " + interval '3 minutes'", "claude-3-5-sonnet", "anthropic", "carol", "0.003", 300, 0);
        call(pg, TENANT, "05", base + " + interval '4 minutes'", "claude-3-5-sonnet", "anthropic", "carol", "0.004", 400, 0);
        call(pg, TENANT, "06", base + " + interval '5 minutes'", "mystery", null, null, null, 50, 0);

        call(pg, SPEND_TENANT, "11", "now() - interval '10 minutes'", "gpt-4o", "openai", "alice", "0.1", 1, 0);
        call(pg, SPEND_TENANT, "12", "now() - interval '2 hours'", "gpt-4o", "openai", "bob", "0.2", 1, 0);
        call(pg, SPEND_TENANT, "13", "now() - interval '3 days'", "gpt-4o", "openai", "alice", "0.3", 1, 0);
        call(pg, SPEND_TENANT, "14", "now() - interval '20 days'", "gpt-4o", "openai", "alice", "0.4", 1, 0);
        call(pg, SPEND_TENANT, "15", "now() - interval '40 days'", "gpt-4o", "openai", "alice", "0.5", 1, 0);
        Rollups.rebuild(pg);
    }

    private static void call(PostgresCluster pg, String tenant, String id, String time, String model, String provider,
                             String user, String cost, long durationMs, int status) {
        pg.psql("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, "
                + "output_tokens, cost_usd, priced, price_source, status_code, duration_ns, user_id, dialect, "
                + "tokens_per_second) VALUES ('" + tenant + "', decode('5b8efff798038103d269b633813fc6" + id + "','hex'), "
                + "decode('00000000000000" + id + "','hex'), " + time + ", 'bot', " + quote(provider) + ", "
                + quote(model) + ", 1000, 100, " + (cost == null ? "NULL" : cost) + ", " + (cost != null) + ", 'test', "
                + status + ", " + durationMs * 1_000_000L + ", " + quote(user) + ", 'otel-genai', 50)");
    }

    private static String quote(String v) {
        return v == null ? "NULL" : "'" + v + "'";
    }

    private static RequestSpecification api(String tenant) {
        return RestAssured.given().header("X-Scope-OrgID", tenant).config(io.restassured.config.RestAssuredConfig.config()
                .jsonConfig(io.restassured.config.JsonConfig.jsonConfig().numberReturnType(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
    }

    private static BigDecimal dec(JsonPath p, String path) {
        return new BigDecimal(p.getString(path));
    }

    @Test
    void latencyPercentilesPerBucketAndPerModel() {
        JsonPath all = api(TENANT).queryParam("bucket", "1h").queryParam("exact", "true").get("/api/v1/latency/trend")
                .then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("$")).hasSize(1);
        assertThat(all.getLong("[0].requests")).isEqualTo(6);
        // durations 50, 100, 200, 300, 400, 1000 ms: the median interpolates 200 and 300
        assertThat(all.getDouble("[0].p50Ms")).isEqualTo(250.0);
        assertThat(all.getDouble("[0].p99Ms")).isCloseTo(970.0, org.assertj.core.data.Offset.offset(1e-6));
        JsonPath byModel = api(TENANT).queryParam("bucket", "1h").queryParam("groupBy", "model").queryParam("exact", "true")
                .get("/api/v1/latency/trend").then().statusCode(200).extract().jsonPath();
        assertThat(byModel.getList("model", String.class)).containsExactly("claude-3-5-sonnet", "gpt-4o", "mystery");
        assertThat(byModel.getDouble("[1].p50Ms")).isEqualTo(200.0);
        // Without exact=true the whole hour comes from the latency histogram: 200 ms and 300 ms sit in bins whose
        // geometric midpoints are 2^(61.5/8) and 2^(65.5/8) ms; the median interpolates them.
        JsonPath estimated = api(TENANT).queryParam("bucket", "1h").get("/api/v1/latency/trend").then().statusCode(200)
                .extract().jsonPath();
        assertThat(estimated.getLong("[0].requests")).isEqualTo(6);
        assertThat(estimated.getDouble("[0].p50Ms"))
                .isCloseTo((Math.pow(2, 61.5 / 8) + Math.pow(2, 65.5 / 8)) / 2, org.assertj.core.data.Offset.offset(1e-9));
        api(TENANT).queryParam("exact", "maybe").get("/api/v1/latency/trend").then().statusCode(400)
                .body("message", containsString("exact must be true or false"));
    }

    @Test
    void expensiveRequestsAreRankedAndFiltered() {
        JsonPath top = api(TENANT).queryParam("limit", 2).get("/api/v1/requests/expensive").then().statusCode(200)
                .extract().jsonPath();
        assertThat(top.getList("costUsd", String.class).stream().map(BigDecimal::new).toList())
                .usingElementComparator(BigDecimal::compareTo).containsExactly(new BigDecimal("0.5"), new BigDecimal("0.02"));
        assertThat(top.getString("[0].traceId")).isEqualTo("5b8efff798038103d269b633813fc603");
        assertThat(top.getBoolean("[0].error")).isTrue();
        assertThat(api(TENANT).queryParam("minCostUsd", "0.01").get("/api/v1/requests/expensive").then().statusCode(200)
                .extract().jsonPath().getList("$")).hasSize(3);
        assertThat(api(TENANT).queryParam("limit", 2).queryParam("offset", 2).get("/api/v1/requests/expensive").then()
                .statusCode(200).extract().jsonPath().getList("spanId", String.class))
                .containsExactly("0000000000000001", "0000000000000005");
        assertThat(api(TENANT).queryParam("status", "error").get("/api/v1/requests/expensive").then().statusCode(200)
                .extract().jsonPath().getList("spanId", String.class)).containsExactly("0000000000000003");
    }

    @Test
    void modelsCompare() {
        JsonPath models = api(TENANT).get("/api/v1/models/compare").then().statusCode(200).extract().jsonPath();
        assertThat(models.getList("model", String.class)).containsExactly("gpt-4o", "claude-3-5-sonnet", "mystery");
        assertThat(models.getLong("[0].requests")).isEqualTo(3);
        assertThat(models.getDouble("[0].errorRate")).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(dec(models, "[0].costUsd")).isEqualByComparingTo("0.53");
        assertThat(dec(models, "[0].costPer1kRequestsUsd").setScale(6, java.math.RoundingMode.HALF_UP))
                .isEqualByComparingTo("176.666667");
        assertThat(models.getDouble("[0].avgLatencyMs")).isCloseTo(1300.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(models.getDouble("[0].avgTokensPerSecond")).isEqualTo(50.0);
        assertThat(models.getString("[2].provider")).isEqualTo("(unknown)");
    }

    @Test
    void userActivityBiggestSpendersFirst() {
        JsonPath users = api(TENANT).get("/api/v1/users/activity").then().statusCode(200).extract().jsonPath();
        assertThat(users.getList("user", String.class)).containsExactly("bob", "alice", "carol");
        assertThat(dec(users, "[1].costUsd")).isEqualByComparingTo("0.03");
        assertThat(users.getLong("[1].requests")).isEqualTo(2);
        assertThat(users.getLong("[1].tokens")).isEqualTo(2200);
    }

    @Test
    void spendInRollingWindowsPerTenantAndUser() {
        JsonPath spend = api(SPEND_TENANT).queryParam("user", "alice").get("/api/v1/spend").then().statusCode(200)
                .extract().jsonPath();
        assertThat(dec(spend, "tenantSpend.lastHourUsd")).isEqualByComparingTo("0.1");
        assertThat(dec(spend, "tenantSpend.last24hUsd")).isEqualByComparingTo("0.3");
        assertThat(dec(spend, "tenantSpend.last7dUsd")).isEqualByComparingTo("0.6");
        assertThat(dec(spend, "tenantSpend.last30dUsd")).isEqualByComparingTo("1.0");
        assertThat(spend.getLong("tenantSpend.requestsLast30d")).isEqualTo(4);
        assertThat(dec(spend, "userSpend.last24hUsd")).isEqualByComparingTo("0.1");
        assertThat(dec(spend, "userSpend.last30dUsd")).isEqualByComparingTo("0.8");
    }

    @Test
    void errorRateOverTimeGrouped() {
        JsonPath errors = api(TENANT).queryParam("bucket", "1h").queryParam("groupBy", "model")
                .get("/api/v1/errors/trend").then().statusCode(200).extract().jsonPath();
        assertThat(errors.getList("group", String.class)).containsExactly("claude-3-5-sonnet", "gpt-4o", "mystery");
        assertThat(errors.getLong("[1].errors")).isEqualTo(1);
        assertThat(errors.getDouble("[1].errorRate")).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
    }

    /**
     * Whole-hour buckets without an error-type grouping come from the model rollup plus raw edges; grouping by error
     * type needs raw rows. Summed over the groups, both must give the same requests and errors per bucket.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"24h", "90m", "35m", "2h"})
    void errorTrendFromRollupAgreesWithRawRows(String from) {
        java.util.Map<String, String> viaRollup = perBucket(api(TENANT).queryParam("from", from).queryParam("bucket", "1h")
                .get("/api/v1/errors/trend").then().statusCode(200).extract().jsonPath());
        java.util.Map<String, String> viaRaw = perBucket(api(TENANT).queryParam("from", from).queryParam("bucket", "1h")
                .queryParam("groupBy", "error_type").get("/api/v1/errors/trend").then().statusCode(200).extract().jsonPath());
        assertThat(viaRollup).isEqualTo(viaRaw);
    }

    private static java.util.Map<String, String> perBucket(JsonPath p) {
        java.util.Map<String, long[]> sums = new java.util.TreeMap<>();
        for (int i = 0; i < p.getList("$").size(); i++) {
            long[] s = sums.computeIfAbsent(p.getString("[" + i + "].bucket"), k -> new long[2]);
            s[0] += p.getLong("[" + i + "].requests");
            s[1] += p.getLong("[" + i + "].errors");
        }
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        sums.forEach((k, v) -> out.put(k, v[0] + "/" + v[1]));
        return out;
    }

    @Test
    void theApiIsDescribedByAnOpenApiDocument() {
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/latency/trend")).body(containsString("/api/v1/costs/by-model"))
                .body(containsString("/api/v1/spend"));
    }

    @Test
    void badParametersAre400() {
        api(TENANT).queryParam("bucket", "2m").get("/api/v1/latency/trend").then().statusCode(400)
                .body("message", containsString("bucket must be one of"));
        api(TENANT).queryParam("bucket", "1m").queryParam("from", "30d").get("/api/v1/latency/trend").then()
                .statusCode(400).body("message", containsString("buckets"));
        api(TENANT).queryParam("groupBy", "user").get("/api/v1/errors/trend").then().statusCode(400);
        api(TENANT).queryParam("limit", 5000).get("/api/v1/models/compare").then().statusCode(400)
                .body("message", containsString("limit must be between 1 and 1000"));
        api(TENANT).queryParam("status", "weird").get("/api/v1/users/activity").then().statusCode(400);
        api(TENANT).queryParam("minCostUsd", "abc").get("/api/v1/requests/expensive").then().statusCode(400);
    }
}
