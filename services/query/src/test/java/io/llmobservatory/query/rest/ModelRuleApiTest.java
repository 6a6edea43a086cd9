package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A call's model is the model the application asked for; the model that answered is its response model. An app asks
 * for gpt-4o-mini five times: four answers come from gpt-4o-mini-2024-07-18 (each priced at gpt-4o-mini's 0.00045
 * USD), one call fails with a 429 before any answer. Rows as the enrich writer stores them.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ModelRuleApiTest {
    private static final String TENANT = "model-rule-test";
    private static final String TRACE = "5b8efff798038103d269b633813fc6d0";
    private static final String ANSWERED = "gpt-4o-mini-2024-07-18";

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM llm_calls WHERE tenant = '" + TENANT + "'");
        String base = "date_trunc('hour', now()) - interval '30 minutes'"; // all in the previous hour
        for (int i = 1; i <= 5; i++) {
            boolean failed = i == 5;
            pg.psql("INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, request_model, "
                    + "response_model, model, input_tokens, output_tokens, cost_usd, priced, price_source, status_code, "
                    + "error_type, duration_ns, user_id, dialect) VALUES ('" + TENANT + "', decode('" + TRACE + "', 'hex'), "
                    + "decode('000000000000000" + i + "', 'hex'), " + base + " + interval '" + i + " minutes', 'bot', "
                    + "'openai', 'gpt-4o-mini', " + (failed ? "NULL" : "'" + ANSWERED + "'") + ", 'gpt-4o-mini', "
                    + (failed ? "NULL, NULL, NULL, false, 'no token usage reported', 2, '429'"
                            : "1000, 500, 0.00045, true, 'openai/gpt-4o-mini', 1, NULL")
                    + ", " + (100 * i) + "000000, 'alice', 'otel-genai')");
        }
        Rollups.rebuild(pg);
    }

    private static RequestSpecification api() {
        return RestAssured.given().header("X-Scope-OrgID", TENANT).config(RestAssuredConfig.config().jsonConfig(
                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
    }

    @ParameterizedTest(name = "{0} exact={1}")
    @CsvSource({"/api/v1/models/compare, false", "/api/v1/models/compare, true"})
    void modelComparisonShowsTheFailedCallBesideItsModelsAnswers(String path, boolean exact) {
        JsonPath models = api().queryParam("exact", exact).get(path).then().statusCode(200).extract().jsonPath();
        assertThat(models.getList("model", String.class)).containsExactly("gpt-4o-mini");
        assertThat(models.getLong("[0].requests")).isEqualTo(5);
        assertThat(models.getDouble("[0].errorRate")).isCloseTo(0.2, within(1e-9));
        assertThat(new BigDecimal(models.getString("[0].costUsd"))).isEqualByComparingTo("0.0018");
    }

    @Test
    void costByModelIsOneRowPricedByTheModelsThatAnswered() {
        JsonPath cost = api().get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        assertThat(cost.getList("models.model", String.class)).containsExactly("gpt-4o-mini");
        assertThat(cost.getLong("models[0].requests")).isEqualTo(5);
        assertThat(cost.getLong("models[0].unpricedRequests")).isEqualTo(1);
        assertThat(new BigDecimal(cost.getString("models[0].costUsd"))).isEqualByComparingTo("0.0018");
    }

    /**
     * Every analytics endpoint takes the responseModel filter (answered from the raw calls, as the rollups have no
     * response-model dimension): the four answered calls, never the failed one.
     */
    @ParameterizedTest(name = "{0}{1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/costs/by-model     |                 | models.requests | 5 | 4
            /api/v1/models/compare     |                 | requests        | 5 | 4
            /api/v1/models/compare     | ?exact=true     | requests        | 5 | 4
            /api/v1/errors/trend       | ?bucket=1h      | requests        | 5 | 4
            /api/v1/errors/trend       | ?bucket=1h      | errors          | 1 | 0
            /api/v1/latency/trend      | ?bucket=1h      | requests        | 5 | 4
            /api/v1/latency/trend      | ?bucket=1m&from=3h | requests        | 5 | 4
            /api/v1/users/activity     |                 | requests        | 5 | 4
            /api/v1/requests/expensive |                 | durationMs      | 1000 | 1000
            """)
    void theResponseModelFilterKeepsTheCallsThatModelAnswered(String path, String query, String field, long all,
                                                             long answered) {
        String url = path + (query == null ? "" : query);
        assertThat(sum(api().get(url), field)).as("unfiltered").isEqualTo(all);
        assertThat(sum(api().queryParam("responseModel", ANSWERED).get(url), field)).as("responseModel").isEqualTo(answered);
        assertThat(sum(api().queryParam("responseModel", "gpt-4o-mini").get(url), field)).as("the model asked for")
                .isZero();
        assertThat(sum(api().queryParam("model", "gpt-4o-mini").queryParam("responseModel", ANSWERED).get(url), field))
                .as("both").isEqualTo(answered);
    }

    private static long sum(io.restassured.response.Response response, String field) {
        List<BigDecimal> values = response.then().statusCode(200).extract().jsonPath().getList(field, BigDecimal.class);
        return values.stream().mapToLong(BigDecimal::longValue).sum();
    }

    @Test
    void callsShowTheModelAskedForAndTheModelThatAnswered() {
        JsonPath calls = api().get("/api/v1/traces/" + TRACE + "/calls").then().statusCode(200).extract().jsonPath();
        assertThat(calls.getList("model", String.class)).containsOnly("gpt-4o-mini");
        assertThat(calls.getList("requestModel", String.class)).containsOnly("gpt-4o-mini");
        assertThat(calls.getList("responseModel", String.class)).containsExactly(ANSWERED, ANSWERED, ANSWERED, ANSWERED, null);
        JsonPath expensive = api().get("/api/v1/requests/expensive").then().statusCode(200).extract().jsonPath();
        assertThat(expensive.getList("model", String.class)).containsOnly("gpt-4o-mini");
        assertThat(expensive.getList("responseModel", String.class)).containsOnly(ANSWERED);
    }
}
