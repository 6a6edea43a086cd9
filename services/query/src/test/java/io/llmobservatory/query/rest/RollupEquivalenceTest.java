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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The rollup paths (whole days from the daily rollups, whole hours from the hourly ones, whole minutes from the
 * per-minute ones, raw rows at the edges, and the calls still queued for the rollups, in either of the drainer's
 * two stages) against the raw rows, over 45 days of calls and windows that start and end anywhere: sums and counts
 * must be identical, histogram percentiles within their documented relative error of {@code percentile_cont}.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class RollupEquivalenceTest {
    private static final String TENANT = "rollup-equivalence";
    private static final Instant END = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final int CALLS = 20_000;
    private static final int QUEUED = 3_000;
    private static final int STAGED = 3_000;
    /** {@code LatencyHistogram.RELATIVE_ERROR}: 2^(1/16) - 1, plus rounding. */
    private static final double PERCENTILE_ERROR = Math.pow(2, 1.0 / 16) - 1 + 1e-9;

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM llm_calls WHERE tenant = '" + TENANT + "'");
        insertCalls(pg, 1, CALLS, false);
        Rollups.rebuild(pg);
        // Calls the drainer's model stage has added to the per-model rollups but its user stage not yet to the
        // per-user ones (V12): in llm_calls, in the model rollups, and in the user stage's queue.
        pg.psql("DROP TABLE IF EXISTS equivalence_user_1h, equivalence_user_1d; "
                + "CREATE TABLE equivalence_user_1h AS SELECT * FROM llm_calls_1h WHERE tenant = '" + TENANT + "'; "
                + "CREATE TABLE equivalence_user_1d AS SELECT * FROM llm_calls_user_1d WHERE tenant = '" + TENANT + "'");
        insertCalls(pg, CALLS + QUEUED + 1, CALLS + QUEUED + STAGED, false);
        pg.psql("SELECT rebuild_query_rollups('" + TENANT + "'); "
                + "DELETE FROM llm_calls_1h WHERE tenant = '" + TENANT + "'; "
                + "INSERT INTO llm_calls_1h SELECT * FROM equivalence_user_1h; "
                + "DELETE FROM llm_calls_user_1d WHERE tenant = '" + TENANT + "'; "
                + "INSERT INTO llm_calls_user_1d SELECT * FROM equivalence_user_1d; "
                + "DROP TABLE equivalence_user_1h, equivalence_user_1d");
        String userColumns = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens, "
                + "cache_read_tokens, cost_usd, status_code, duration_ns";
        pg.psql("INSERT INTO llm_call_user_rollup_queue (" + userColumns + ") SELECT " + userColumns
                + " FROM llm_calls WHERE tenant = '" + TENANT + "' AND span_id = ANY (ARRAY(SELECT decode(lpad(to_hex(g), 16,"
                + " '0'), 'hex') FROM generate_series(" + (CALLS + QUEUED + 1) + "::bigint, " + (CALLS + QUEUED + STAGED)
                + ") g))");
        assertThat(pg.psql("SELECT count(*) FROM llm_call_user_rollup_queue WHERE tenant = '" + TENANT + "'"))
                .isEqualTo(String.valueOf(STAGED));
        // Calls stored but not yet drained into any rollup (as after a drainer outage, so across the whole range):
        // in llm_calls and in the rollup queue only. Every answer below must count both kinds exactly once.
        insertCalls(pg, CALLS + 1, CALLS + QUEUED, true);
    }

    /**
     * Calls g in [first, last] over the 45 days before END (7g mod CALLS spreads any range of g over all of them); 5 models over 3 providers, 2 services, 300 users (some
     * calls without), 3 % errors, durations 0 (a few) to 9 s, some calls unpriced, tokens/s on most. Queued calls are
     * also appended to the rollup queue, as the enrich writer does, and are 13 s apart from the others.
     */
    private static void insertCalls(PostgresCluster pg, int first, int last, boolean queued) {
        String insert = "INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, "
                + "output_tokens, cost_usd, priced, price_source, cost_source, status_code, error_type, duration_ns, user_id, "
                + "dialect, tokens_per_second) "
                + "SELECT '" + TENANT + "', decode(lpad(to_hex(g), 32, '0'), 'hex'), decode(lpad(to_hex(g), 16, '0'), 'hex'), "
                + "timestamptz '" + END + "' - ((g * 7 % " + CALLS + ")::float8 / " + CALLS + ") * interval '45 days'"
                + " - (g / " + CALLS + ") * interval '13 seconds', 'svc-' || (g % 2), "
                + "(ARRAY['openai','openai','anthropic','anthropic','google'])[(1 + g % 5)::int], "
                + "(ARRAY['gpt-4o','gpt-4o-mini','claude-3-5-sonnet','claude-3-haiku','gemini-1.5-pro'])[(1 + g % 5)::int], "
                + "100 + (g * 7919) % 3000, 10 + (g * 104729) % 700, "
                + "CASE WHEN g % 23 = 0 THEN NULL ELSE ((100 + (g * 7919) % 3000) * 0.0000025)::numeric END, g % 23 <> 0, "
                + "'test', 'computed', CASE WHEN g % 33 = 0 THEN 2 ELSE 0 END, CASE WHEN g % 33 = 0 THEN 'RateLimitError' END, "
                + "CASE WHEN g % 997 = 0 THEN 0 ELSE (20 + (g * 2654435761) % 9000) * 1000000::bigint END, "
                + "CASE WHEN g % 11 = 0 THEN NULL ELSE 'user-' || (g % 300) END, 'otel-genai', "
                + "CASE WHEN g % 7 = 0 THEN NULL ELSE 10 + g % 90 END "
                + "FROM generate_series(" + first + "::bigint, " + last + ") g";
        if (!queued) {
            pg.psql(insert);
            return;
        }
        String columns = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens, "
                + "cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, cost_source, cost_disagrees, "
                + "status_code, duration_ns, tokens_per_second";
        pg.psql("WITH c AS (" + insert + " RETURNING " + columns + ") INSERT INTO llm_call_rollup_queue (" + columns
                + ") SELECT " + columns + " FROM c");
        assertThat(pg.psql("SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + TENANT + "'"))
                .isEqualTo(String.valueOf(QUEUED));
    }

    /** Windows starting and ending inside minutes and hours, on hours, on days, spanning no whole hour or day. */
    static Stream<Arguments> windows() {
        Instant day = END.truncatedTo(ChronoUnit.DAYS);
        Instant hour = END.truncatedTo(ChronoUnit.HOURS);
        return Stream.of(
                Arguments.of(END.minus(Duration.ofDays(30)), END),
                Arguments.of(END.minus(Duration.ofDays(44)).plusSeconds(7 * 60 + 11), END.minusSeconds(190)),
                Arguments.of(day.minus(Duration.ofDays(10)), day.minus(Duration.ofDays(2))),
                Arguments.of(hour.minus(Duration.ofHours(36)), hour),
                Arguments.of(END.minus(Duration.ofHours(30)).minusSeconds(300), END.minusSeconds(1200)),
                Arguments.of(END.minusSeconds(5400), END),
                Arguments.of(END.minusSeconds(2100), END.minusSeconds(300)),
                // an alert rule's 15 minutes (whole minutes and raw seconds; ~5 calls in each)
                Arguments.of(END.minusSeconds(900), END),
                Arguments.of(END.minus(Duration.ofDays(3)).minusSeconds(871), END.minus(Duration.ofDays(3)).minusSeconds(3)));
    }

    @ParameterizedTest
    @MethodSource("windows")
    void costByModelEqualsTheRawRows(Instant from, Instant to) {
        JsonPath p = api(from, to).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        List<String> api = new ArrayList<>();
        for (int i = 0; i < p.getList("models").size(); i++) {
            String m = "models[" + i + "].";
            api.add(p.getString(m + "model") + "|" + p.getString(m + "provider") + "|" + p.getLong(m + "requests") + "|"
                    + p.getLong(m + "inputTokens") + "|" + p.getLong(m + "outputTokens") + "|" + plain(p, m + "costUsd")
                    + "|" + p.getLong(m + "unpricedRequests"));
        }
        String raw = PostgresTestResource.cluster().psql("SELECT string_agg(model || '|' || provider || '|' || n || '|' || i"
                + " || '|' || o || '|' || trim_scale(c) || '|' || u, ',' ORDER BY c DESC, n DESC, model) FROM (SELECT model,"
                + " provider, count(*) AS n, sum(input_tokens) AS i, sum(output_tokens) AS o, coalesce(sum(cost_usd), 0) AS c,"
                + " count(*) FILTER (WHERE cost_usd IS NULL) AS u FROM llm_calls" + where(from, to) + " GROUP BY 1, 2) m");
        assertThat(String.join(",", api)).isEqualTo(raw);
    }

    @ParameterizedTest
    @MethodSource("windows")
    void userActivityEqualsTheRawRows(Instant from, Instant to) {
        JsonPath p = api(from, to).queryParam("limit", 1000).get("/api/v1/users/activity").then().statusCode(200)
                .extract().jsonPath();
        List<String> api = new ArrayList<>();
        for (Map<String, Object> row : rows(p)) {
            api.add(row.get("user") + "|" + (long) number(row, "requests") + "|" + (long) number(row, "tokens") + "|"
                    + new BigDecimal(row.get("costUsd").toString()).stripTrailingZeros().toPlainString());
        }
        String raw = PostgresTestResource.cluster().psql("SELECT string_agg(user_id || '|' || n || '|' || t || '|' || "
                + "trim_scale(c), ',' ORDER BY c DESC, n DESC, user_id) FROM (SELECT user_id, count(*) AS n, "
                + "sum(input_tokens + output_tokens) AS t, coalesce(sum(cost_usd), 0) AS c FROM llm_calls" + where(from, to)
                + " AND user_id IS NOT NULL GROUP BY 1) u");
        assertThat(String.join(",", api)).isEqualTo(raw);
    }

    @ParameterizedTest
    @MethodSource("windows")
    void modelComparisonAgreesWithTheExactQuery(Instant from, Instant to) {
        JsonPath viaRollup = api(from, to).get("/api/v1/models/compare").then().statusCode(200).extract().jsonPath();
        JsonPath exact = api(from, to).queryParam("exact", "true").get("/api/v1/models/compare").then().statusCode(200)
                .extract().jsonPath();
        int n = exact.getList("$").size();
        assertThat(viaRollup.getList("model")).isEqualTo(exact.getList("model")).hasSize(n);
        assertThat(viaRollup.getList("provider")).isEqualTo(exact.getList("provider"));
        assertThat(viaRollup.getList("requests")).isEqualTo(exact.getList("requests"));
        for (int i = 0; i < n; i++) {
            String m = "[" + i + "].";
            assertThat(plain(viaRollup, m + "costUsd")).isEqualTo(plain(exact, m + "costUsd"));
            assertThat(dec(viaRollup, m + "costPer1kRequestsUsd")).isEqualByComparingTo(dec(exact, m + "costPer1kRequestsUsd"));
            assertThat(viaRollup.getDouble(m + "avgLatencyMs")).isCloseTo(exact.getDouble(m + "avgLatencyMs"), within(1e-6));
            assertThat(viaRollup.getDouble(m + "errorRate")).isCloseTo(exact.getDouble(m + "errorRate"), within(1e-12));
            if (exact.get(m + "avgTokensPerSecond") == null) { // no call of the model in the window had tokens/s
                assertThat(viaRollup.<Object>get(m + "avgTokensPerSecond")).isNull();
            } else {
                assertThat(viaRollup.getDouble(m + "avgTokensPerSecond"))
                        .isCloseTo(exact.getDouble(m + "avgTokensPerSecond"), within(1e-9));
            }
            assertWithinPercentileError(viaRollup.getDouble(m + "p95LatencyMs"), exact.getDouble(m + "p95LatencyMs"));
        }
    }

    static Stream<Arguments> trends() {
        return windows().flatMap(w -> Stream.of("1h", "6h", "1d").flatMap(bucket -> Stream.of("none", "model")
                .map(group -> Arguments.of(w.get()[0], w.get()[1], bucket, group))));
    }

    @ParameterizedTest
    @MethodSource("trends")
    void latencyTrendFromHistogramsIsWithinTheirErrorOfTheExactPercentiles(Instant from, Instant to, String bucket,
                                                                         String groupBy) {
        JsonPath viaRollup = api(from, to).queryParam("bucket", bucket).queryParam("groupBy", groupBy)
                .get("/api/v1/latency/trend").then().statusCode(200).extract().jsonPath();
        JsonPath exact = api(from, to).queryParam("bucket", bucket).queryParam("groupBy", groupBy).queryParam("exact", "true")
                .get("/api/v1/latency/trend").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> estimated = rows(viaRollup);
        List<Map<String, Object>> exactRows = rows(exact);
        assertThat(exactRows).isNotEmpty();
        assertThat(viaRollup.getList("bucket")).isEqualTo(exact.getList("bucket"));
        assertThat(viaRollup.getList("model")).isEqualTo(exact.getList("model"));
        assertThat(viaRollup.getList("requests")).isEqualTo(exact.getList("requests"));
        for (int i = 0; i < exactRows.size(); i++) {
            for (String q : List.of("p50Ms", "p95Ms", "p99Ms")) {
                assertWithinPercentileError(number(estimated.get(i), q), number(exactRows.get(i), q));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("trends")
    void errorTrendFromRollupsEqualsTheRawRows(Instant from, Instant to, String bucket, String ignored) {
        Map<String, String> viaRollup = perBucket(api(from, to).queryParam("bucket", bucket).queryParam("groupBy", "model")
                .get("/api/v1/errors/trend").then().statusCode(200).extract().jsonPath());
        Map<String, String> viaRaw = perBucket(api(from, to).queryParam("bucket", bucket).queryParam("groupBy", "error_type")
                .get("/api/v1/errors/trend").then().statusCode(200).extract().jsonPath());
        assertThat(viaRollup).isNotEmpty().isEqualTo(viaRaw);
    }

    private static void assertWithinPercentileError(double estimate, double exact) {
        if (exact == 0) {
            assertThat(estimate).isZero();
        } else {
            assertThat(Math.abs(estimate - exact) / exact).as("estimate %s, exact %s", estimate, exact)
                    .isLessThanOrEqualTo(PERCENTILE_ERROR);
        }
    }

    private static Map<String, String> perBucket(JsonPath p) {
        Map<String, long[]> sums = new TreeMap<>();
        for (Map<String, Object> row : rows(p)) {
            long[] s = sums.computeIfAbsent((String) row.get("bucket"), k -> new long[2]);
            s[0] += (long) number(row, "requests");
            s[1] += (long) number(row, "errors");
        }
        Map<String, String> out = new TreeMap<>();
        sums.forEach((k, v) -> out.put(k, v[0] + "/" + v[1]));
        return out;
    }

    /** The top-level array's objects, read once (a JsonPath lookup per element is slow for thousands of rows). */
    private static List<Map<String, Object>> rows(JsonPath p) {
        return p.getList("$");
    }

    private static double number(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    private static String where(Instant from, Instant to) {
        return " WHERE tenant = '" + TENANT + "' AND time >= '" + from + "' AND time < '" + to + "'";
    }

    private static RequestSpecification api(Instant from, Instant to) {
        return RestAssured.given().header("X-Scope-OrgID", TENANT).queryParam("from", from.toString())
                .queryParam("to", to.toString()).config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
    }

    private static BigDecimal dec(JsonPath p, String path) {
        return new BigDecimal(p.getString(path));
    }

    private static String plain(JsonPath p, String path) {
        return dec(p, path).stripTrailingZeros().toPlainString();
    }
}
