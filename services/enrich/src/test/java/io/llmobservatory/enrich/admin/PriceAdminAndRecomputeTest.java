package io.llmobservatory.enrich.admin;

import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.enrich.storage.RollupDrainer;
import io.llmobservatory.enrich.RollupSnapshots;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Operator price overrides and re-pricing, through the admin API, against a real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PriceAdminAndRecomputeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    // The calls of llmSpan() start at 2026-11-27T10:00:00.123456789Z: gpt-4o, 1000 input and 500 output tokens.
    private static final String FROM = "2026-11-27T00:00:00Z";
    private static final String TO = "2026-11-28T00:00:00Z";

    private static final List<String> MODEL_ROLLUPS = List.of("llm_calls_model_1m", "llm_calls_model_1h",
            "llm_calls_model_1d");
    private static final List<String> USER_ROLLUPS = List.of("llm_calls_1h", "llm_calls_user_1d");
    private static final List<String> ROLLUPS = Stream.concat(MODEL_ROLLUPS.stream(),
            USER_ROLLUPS.stream()).toList();

    @Inject
    TracesConsumer pipeline;
    @Inject
    RollupDrainer drainer;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void aTenantOverrideReplacesOnlyTheFieldsItSets() {
        String tenant = tenant();
        putOverride("gpt4o-output-" + tenant, """
                {"tenant": "%s", "provider": "openai", "model": "gpt-4o", "outputMtok": 20, "note": "negotiated"}
                """.formatted(tenant));
        RestAssured.given().queryParam("provider", "openai").queryParam("model", "gpt-4o").queryParam("tenant", tenant)
                .get("/admin/v1/prices/lookup").then().statusCode(200)
                .body("overridden", equalTo(true)).body("inputMtok", equalTo(2.5f)).body("outputMtok", equalTo(20))
                .body("entry", equalTo("override/gpt4o-output-" + tenant + " over openai/gpt-4o"));

        pipeline.consume(tenant, batch(llmSpan(hex(32), hex(16)))).await().atMost(WAIT);
        String other = tenant();
        pipeline.consume(other, batch(llmSpan(hex(32), hex(16)))).await().atMost(WAIT);

        // input inherited ($2.50/M), output overridden ($20/M): 1000 x 2.5 + 500 x 20 = 12500 micro-USD
        assertThat(pg.psql("SELECT cost_usd, cost_source FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo("0.012500000000|override");
        assertThat(pg.psql("SELECT cost_usd, cost_source FROM llm_calls WHERE tenant = '" + other + "'"))
                .isEqualTo("0.007500000000|computed");
    }

    /**
     * Calls are reported under the model asked for and priced by the one that answered: re-pricing the answering
     * model (its price changed) finds the calls grouped under the model asked for, and only those.
     */
    @Test
    void recomputeOfAModelRepricesTheCallsItAnswered() {
        String tenant = tenant();
        pipeline.consume(tenant, batch(llmSpan(hex(32), hex(16), "gpt-4o-mini").toBuilder()
                .addAttributes(str("gen_ai.response.model", "gpt-4o-mini-2024-07-18")).build(),
                llmSpan(hex(32), hex(16), "gpt-4o"))).await().atMost(WAIT);
        // 1000 x 0.15 + 500 x 0.6 and 1000 x 2.5 + 500 x 10 micro-USD
        assertThat(pg.psql("SELECT string_agg(model || '=' || cost_usd, ',' ORDER BY model) FROM llm_calls WHERE "
                + "tenant = '" + tenant + "'")).isEqualTo("gpt-4o=0.007500000000,gpt-4o-mini=0.000450000000");

        putOverride("mini-snapshot-" + tenant, """
                {"tenant": "%s", "model": "gpt-4o-mini-2024-07-18", "inputMtok": 1.5}
                """.formatted(tenant));
        String job = recompute(tenant, "gpt-4o-mini-2024-07-18");

        RestAssured.get("/admin/v1/recompute/" + job).then().statusCode(200)
                .body("callsSeen", equalTo(1)).body("callsChanged", equalTo(1));
        // 1000 x 1.5 + 500 x 0.6 micro-USD, still under the model asked for
        assertThat(pg.psql("SELECT string_agg(model || '=' || cost_usd, ',' ORDER BY model) FROM llm_calls WHERE "
                + "tenant = '" + tenant + "'")).isEqualTo("gpt-4o=0.007500000000,gpt-4o-mini=0.001800000000");
        RestAssured.get("/admin/v1/recompute/" + recompute(tenant, "gpt-4o-mini")).then().statusCode(200)
                .body("callsSeen", equalTo(1)).body("callsChanged", equalTo(0));
    }

    @Test
    void recomputeAppliesAPriceChangeOnceAndLeavesAnAuditRecord() {
        String tenant = tenant();
        for (int i = 0; i < 3; i++) {
            pipeline.consume(tenant, batch(llmSpan(hex(32), hex(16)).toBuilder()
                    .addAttributes(str("user.id", "user-" + (i % 2))).build()))
                    .await().atMost(WAIT);
        }
        assertThat(sum(tenant)).isEqualTo("0.022500000000");

        putOverride("gpt4o-input-" + tenant, """
                {"tenant": "%s", "model": "gpt-4o", "inputMtok": 5}
                """.formatted(tenant));
        // The calls are still queued for the rollups: the re-pricing moves the rollups by the difference, and rollups
        // plus queue are the new costs.
        assertThat(queued(RollupSnapshots.MODEL_QUEUE, tenant)).isEqualTo("3");
        String job = recompute(tenant);
        // 1000 x 5 + 500 x 10 = 10000 micro-USD per call
        assertThat(sum(tenant)).isEqualTo("0.030000000000");
        RestAssured.get("/admin/v1/recompute/" + job).then().statusCode(200)
                .body("status", equalTo("done")).body("callsSeen", equalTo(3)).body("callsChanged", equalTo(3))
                .body("costBefore", equalTo(0.0225f)).body("costAfter", equalTo(0.03f))
                .body("tenant", equalTo(tenant)).body("requestedBy", equalTo("test-suite"));
        for (String rollup : ROLLUPS) {
            assertThat(rolledUpAndQueued(rollup, tenant, RollupSnapshots.MODEL_QUEUE)).as(rollup).isEqualTo("0.030000000000");
        }

        // The model stage drained: the per-model rollups alone hold the new costs, the calls wait in the user stage.
        drainer.drainModelStage().await().atMost(WAIT);
        assertThat(queued(RollupSnapshots.MODEL_QUEUE, tenant)).isEqualTo("0");
        assertThat(queued(RollupSnapshots.USER_QUEUE, tenant)).isEqualTo("3");
        for (String rollup : MODEL_ROLLUPS) {
            assertThat(pg.psql("SELECT sum(cost_usd) FROM " + rollup + " WHERE tenant = '" + tenant + "'")).as(rollup)
                    .isEqualTo("0.030000000000");
        }
        for (String rollup : USER_ROLLUPS) {
            assertThat(rolledUpAndQueued(rollup, tenant, RollupSnapshots.USER_QUEUE)).as(rollup)
                    .isEqualTo("0.030000000000");
        }
        assertThat(pg.psql("SELECT DISTINCT attributes->>'llm.cost.total_usd' || '|' || (attributes->>'llm.cost.source') "
                + "FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("0.01|override");

        // Running it again changes nothing: totals move exactly once.
        String again = recompute(tenant);
        assertThat(sum(tenant)).isEqualTo("0.030000000000");
        RestAssured.get("/admin/v1/recompute/" + again).then().body("callsChanged", equalTo(0));

        // Removing the override and recomputing while the calls wait in the user stage restores the catalog price.
        RestAssured.delete("/admin/v1/prices/overrides/gpt4o-input-" + tenant).then().statusCode(204);
        recompute(tenant);
        assertThat(sum(tenant)).isEqualTo("0.022500000000");
        for (String rollup : USER_ROLLUPS) {
            assertThat(rolledUpAndQueued(rollup, tenant, RollupSnapshots.USER_QUEUE)).as(rollup)
                    .isEqualTo("0.022500000000");
        }
        // Drained, the rollups alone hold the costs.
        drainer.drainAll().await().atMost(WAIT);
        assertThat(queued(RollupSnapshots.USER_QUEUE, tenant)).isEqualTo("0");
        for (String rollup : ROLLUPS) {
            assertThat(pg.psql("SELECT sum(cost_usd) FROM " + rollup + " WHERE tenant = '" + tenant + "'")).as(rollup)
                    .isEqualTo("0.022500000000");
        }
        assertThat(pg.psql("SELECT string_agg(user_id || '=' || cost_usd, ',' ORDER BY user_id) FROM llm_calls_user_1d "
                + "WHERE tenant = '" + tenant + "'")).isEqualTo(pg.psql("SELECT string_agg(user_id || '=' || cost, ',' "
                + "ORDER BY user_id) FROM (SELECT user_id, sum(cost_usd) AS cost FROM llm_calls WHERE tenant = '" + tenant
                + "' GROUP BY user_id) u"));
        // Every rollup row (counts, tokens, costs) as the rebuild from the calls makes it.
        List<String> written = ROLLUPS.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList();
        pg.psql("SELECT rebuild_query_rollups('" + tenant + "')");
        assertThat(ROLLUPS.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList()).isEqualTo(written);
        assertThat(pg.psql("SELECT DISTINCT cost_source FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("computed");
        RestAssured.get("/admin/v1/recompute?limit=10").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItems(job, again));
    }

    @Test
    void badRequestsAre400AndAbsentThings404() {
        RestAssured.given().contentType(ContentType.JSON).body("{\"model\": \"gpt-4o\"}")
                .put("/admin/v1/prices/overrides/no-prices").then().statusCode(400)
                .body("message", containsString("at least one price"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"modelRegex\": \"([\", \"inputMtok\": 1}")
                .put("/admin/v1/prices/overrides/bad-regex").then().statusCode(400)
                .body("message", containsString("modelRegex"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"model\": \"m\", \"inputMtok\": -1}")
                .put("/admin/v1/prices/overrides/negative").then().statusCode(400);
        RestAssured.delete("/admin/v1/prices/overrides/never-existed").then().statusCode(404)
                .body("error", equalTo("not_found"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"from\": \"" + TO + "\", \"to\": \"" + FROM + "\"}")
                .post("/admin/v1/recompute").then().statusCode(400).body("message", containsString("before"));
        RestAssured.given().contentType(ContentType.JSON).body("{}").post("/admin/v1/recompute").then().statusCode(400);
        RestAssured.get("/admin/v1/recompute/not-a-uuid").then().statusCode(400);
        RestAssured.get("/admin/v1/recompute/" + UUID.randomUUID()).then().statusCode(404);
        RestAssured.given().queryParam("model", "gpt-4o").queryParam("at", "yesterday")
                .get("/admin/v1/prices/lookup").then().statusCode(400);
    }

    private String rolledUpAndQueued(String rollup, String tenant, String queue) {
        return pg.psql("SELECT (SELECT sum(cost_usd) FROM " + rollup + " WHERE tenant = '" + tenant + "') + (SELECT "
                + "sum(cost_usd) FROM " + queue + " WHERE tenant = '" + tenant + "')");
    }

    private String queued(String queue, String tenant) {
        return RollupSnapshots.queued(pg, queue, tenant);
    }

    /** The tenant header means on recompute what it means everywhere: the tenant acted on, checked against the key. */
    @Test
    void recomputeActsOnTheTenantTheHeaderNames() {
        String tenant = "hdr-" + UUID.randomUUID().toString().substring(0, 8);
        String window = "\"from\": \"" + FROM + "\", \"to\": \"" + TO + "\"";
        RestAssured.given().contentType(ContentType.JSON).header("X-Scope-OrgID", tenant).body("{" + window + "}")
                .post("/admin/v1/recompute").then().statusCode(202).body("tenant", equalTo(tenant));
        RestAssured.given().contentType(ContentType.JSON).header("X-Scope-OrgID", tenant)
                .body("{" + window + ", \"tenant\": \"someone-else\"}").post("/admin/v1/recompute").then()
                .statusCode(403).body("error", equalTo("forbidden"));
        RestAssured.given().header("X-Scope-OrgID", tenant).get("/admin/v1/recompute").then().statusCode(200)
                .body("tenant", org.hamcrest.Matchers.everyItem(equalTo(tenant)));
        RestAssured.given().contentType(ContentType.JSON).header("X-Scope-OrgID", "not a tenant!")
                .body("{" + window + "}").post("/admin/v1/recompute").then().statusCode(400);
    }

    @Test
    void aLimitThatIsNotANumberIsA400NamingIt() {
        for (String limit : List.of("2147483648", "1e3", "ten")) {
            RestAssured.given().queryParam("limit", limit).get("/admin/v1/recompute").then().statusCode(400)
                    .body("message", containsString("limit"));
        }
    }

    private static void putOverride(String id, String json) {
        RestAssured.given().contentType(ContentType.JSON).body(json).put("/admin/v1/prices/overrides/" + id)
                .then().statusCode(200).body("id", equalTo(id));
    }

    private String recompute(String tenant) {
        return recompute(tenant, null);
    }

    private String recompute(String tenant, String model) {
        String id = RestAssured.given().contentType(ContentType.JSON).header("X-Requested-By", "test-suite")
                .body("{\"from\": \"" + FROM + "\", \"to\": \"" + TO + "\", \"tenant\": \"" + tenant + "\""
                        + (model == null ? "" : ", \"model\": \"" + model + "\"") + "}")
                .post("/admin/v1/recompute").then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String status = RestAssured.get("/admin/v1/recompute/" + id).then().statusCode(200).extract().path("status");
            if (!"running".equals(status)) {
                assertThat(status).isEqualTo("done");
                return id;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("recompute " + id + " still running after " + WAIT);
    }

    private String sum(String tenant) {
        return pg.psql("SELECT sum(cost_usd) FROM llm_calls WHERE tenant = '" + tenant + "'");
    }

    private static String tenant() {
        return "a-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hex(int digits) {
        return UUID.randomUUID().toString().replace("-", "").substring(0, Math.min(32, digits)).replace('0', '1');
    }
}
