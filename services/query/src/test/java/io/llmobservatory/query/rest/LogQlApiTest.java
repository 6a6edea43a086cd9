package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** LogQL evaluated over PostgreSQL through Loki's query_range API: the seed's three examples and the subset's stages. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LogQlApiTest {
    private static final String TENANT = "logql-test";
    private static final long T0 = 1_795_773_600L; // 2026-11-27T10:00:00Z

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM logs WHERE tenant = '" + TENANT + "'");
        log(pg, "01", 0, 9, "llm-app", "{\"model\":\"gpt-4o\",\"performance_duration_ms\":1200}");
        log(pg, "02", 60, 17, "llm-app", "error: upstream timeout");
        log(pg, "03", 120, 9, "llm-app", "{\"model\":\"gpt-4o-mini\",\"performance_duration_ms\":7000}");
        log(pg, "04", 180, 17, "llm-app", "error: rate limited");
        log(pg, "05", 240, 9, "llm-app", "request ok");
        log(pg, "06", 200, 17, "other", "error: not ours");
    }

    private static void log(PostgresCluster pg, String id, long offsetSeconds, int severity, String service, String line) {
        long ns = (T0 + offsetSeconds) * 1_000_000_000L;
        pg.psql("INSERT INTO logs (tenant, log_id, time, time_unix_nano, observed_time_unix_nano, severity_number, body,"
                + " attributes, service_name, resource_attributes) VALUES ('" + TENANT + "', decode('" + id + "', 'hex'),"
                + " to_timestamp(" + (T0 + offsetSeconds) + "), " + ns + ", 0, " + severity + ", to_jsonb('" + line
                + "'::text), '{\"deployment.environment\": \"prod\"}', '"
                + service + "', '{}')");
    }

    private static JsonPath query(String logql, long start, long end, String step) {
        var request = RestAssured.given().header("X-Scope-OrgID", TENANT).queryParam("query", logql)
                .queryParam("start", String.valueOf((T0 + start) * 1_000_000_000L))
                .queryParam("end", String.valueOf((T0 + end) * 1_000_000_000L));
        if (step != null) {
            request.queryParam("step", step);
        }
        return request.get("/loki/api/v1/query_range").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void findErrors() {
        JsonPath answer = query("{service_name=\"llm-app\"} |= \"error\"", -10, 600, null);
        assertThat(answer.getString("status")).isEqualTo("success");
        assertThat(answer.getString("data.resultType")).isEqualTo("streams");
        assertThat(answer.getList("data.result")).hasSize(1);
        List<List<String>> values = answer.getList("data.result[0].values");
        assertThat(values).extracting(v -> v.get(1)).containsExactly("error: rate limited", "error: upstream timeout");
        assertThat(values.get(0).get(0)).isEqualTo(String.valueOf((T0 + 180) * 1_000_000_000L));
        assertThat(answer.getString("data.result[0].stream.severity")).isEqualTo("error");
        assertThat(answer.getString("data.result[0].stream.deployment_environment")).isEqualTo("prod");
    }

    @Test
    void slowRequestsThroughJson() {
        JsonPath answer = query("{service_name=\"llm-app\"} | json | performance_duration_ms > 5000", -10, 600, null);
        assertThat(answer.getList("data.result")).hasSize(1);
        Map<String, String> stream = answer.getMap("data.result[0].stream");
        assertThat(stream).containsEntry("model", "gpt-4o-mini").containsEntry("performance_duration_ms", "7000");
    }

    @Test
    void errorRate() {
        JsonPath answer = query("sum(rate({service_name=\"llm-app\"} |= \"error\" [5m])) / sum(rate({service_name=\"llm-app\"} [5m]))",
                300, 301, "1s");
        assertThat(answer.getString("data.resultType")).isEqualTo("matrix");
        // (T0, T0+300]: four lines, two of them errors
        assertThat(answer.getList("data.result[0].values")).hasSize(2);
        assertThat(answer.getString("data.result[0].values[0][1]")).isEqualTo("0.5");
        assertThat(answer.getLong("data.result[0].values[0][0]")).isEqualTo(T0 + 300);
    }

    @Test
    void countsBySeverityAndFormatsLines() {
        JsonPath counts = query("sum by (severity) (count_over_time({service_name=~\"llm-.*|other\"}[10m]))", 600, 601, "1s");
        assertThat(counts.getList("data.result.metric.severity", String.class)).containsExactlyInAnyOrder("info", "error");
        Map<String, Object> errors = counts.getList("data.result", Map.class).stream()
                .filter(m -> ((Map<?, ?>) m.get("metric")).get("severity").equals("error")).findFirst().orElseThrow();
        assertThat(((List<?>) ((List<?>) errors.get("values")).get(0)).get(1)).isEqualTo("3");

        JsonPath formatted = query("{service_name=\"llm-app\"} | json | model =~ \"gpt-4o.*\" | line_format \"{{.model}}: {{.performance_duration_ms}} ms\"",
                -10, 600, null);
        List<String> lines = new java.util.ArrayList<>();
        for (Map<String, Object> stream : formatted.<Map<String, Object>>getList("data.result")) {
            for (Object value : (List<?>) stream.get("values")) {
                lines.add((String) ((List<?>) value).get(1));
            }
        }
        assertThat(lines).containsExactlyInAnyOrder("gpt-4o-mini: 7000 ms", "gpt-4o: 1200 ms");
    }

    @Test
    void unsupportedConstructsAre400() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).queryParam("query", "{service_name=\"a\"} | logfmt")
                .get("/loki/api/v1/query_range").then().statusCode(400)
                .body("message", containsString("unsupported construct: logfmt"));
        RestAssured.given().queryParam("query", "{service_name=\"a\"}").queryParam("start", "yesterday")
                .get("/loki/api/v1/query_range").then().statusCode(400).body("message", containsString("start"));
    }
}
