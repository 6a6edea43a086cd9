package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** TraceQL answered over PostgreSQL: which traces each query finds among three known traces. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TraceSearchApiTest {
    private static final String TENANT = "traceql-test";
    // A: slow gpt-4 call under POST /chat (rag-api); B: fast gpt-4o-mini call with an error (rag-api); C: batch job
    private static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    private static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
    private static final String C = "ccccccccccccccccccccccccccccccc3";

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM spans WHERE tenant = '" + TENANT + "'");
        span(pg, A, "a000000000000001", null, "POST /chat", 2, 0, 0, 7000, "rag-api", "{}");
        span(pg, A, "a000000000000002", "a000000000000001", "chat gpt-4", 3, 0, 100, 6100, "rag-api",
                "{\"llm.model\": \"gpt-4\", \"gen_ai.usage.input_tokens\": 1200, \"cached\": false}");
        span(pg, B, "b000000000000001", null, "POST /chat", 2, 2, 0, 400, "rag-api", "{}");
        span(pg, B, "b000000000000002", "b000000000000001", "chat gpt-4o-mini", 3, 2, 10, 300, "rag-api",
                "{\"llm.model\": \"gpt-4o-mini\", \"gen_ai.usage.input_tokens\": 300, \"cached\": true}");
        span(pg, C, "c000000000000001", null, "nightly-batch", 1, 1, 0, 3000, "batcher",
                "{\"llm.model\": \"gpt-4\", \"gen_ai.usage.input_tokens\": \"many\"}");
    }

    private static void span(PostgresCluster pg, String trace, String id, String parent, String name, int kind, int status,
                             long startMs, long endMs, String service, String attributes) {
        long base = 1_795_773_600_000_000_000L;
        pg.psql("INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind, start_time, start_time_unix_nano,"
                + " end_time_unix_nano, duration_ns, status_code, service_name, attributes, events, links,"
                + " resource_attributes, scope_attributes) VALUES ('" + TENANT + "', decode('" + trace + "', 'hex'), decode('"
                + id + "', 'hex'), " + (parent == null ? "NULL" : "decode('" + parent + "', 'hex')") + ", '" + name + "', "
                + kind + ", to_timestamp(1795773600 + " + startMs + " / 1000.0), " + (base + startMs * 1_000_000L) + ", "
                + (base + endMs * 1_000_000L) + ", " + (endMs - startMs) * 1_000_000L + ", " + status + ", '" + service
                + "', '" + attributes + "', '[]', '[]', '{\"service.name\": \"" + service + "\"}', '{}')");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '\u0000', textBlock = """
            { span.llm.model = "gpt-4" && duration > 5s }                 ; A
            { span.llm.model = "gpt-4" }                                   ; A C
            { }                                                            ; A B C
            { status = error }                                             ; B
            { span:status != error && kind = client }                      ; A
            { name =~ "chat.*" }                                           ; A B
            { name !~ "chat.*" && name !~ "POST.*" }                       ; C
            { resource.service.name = "batcher" }                          ; C
            { .service.name = "rag-api" && span.cached = true }            ; B
            { span.gen_ai.usage.input_tokens > 1000 }                      ; A
            { span.gen_ai.usage.input_tokens >= 300 && span.gen_ai.usage.input_tokens < 1000 } ; B
            { trace:duration > 5s }                                        ; A
            { trace:rootName = "nightly-batch" }                           ; C
            { trace:rootService = "rag-api" && status = error }            ; B
            { (status = error || duration > 5s) && span.llm.model =~ "gpt-4.*" } ; A B
            { span.llm.model = "claude" }                                  ; -
            """)
    void findsTheRightTraces(String query, String expected) {
        List<String> found = RestAssured.given().header("X-Scope-OrgID", TENANT).queryParam("q", query.trim())
                .queryParam("from", "2026-11-27T09:00:00Z").queryParam("to", "2026-11-27T11:00:00Z")
                .get("/api/v1/traces").then().statusCode(200).extract().jsonPath().getList("traceId", String.class);
        List<String> want = expected.trim().equals("-") ? List.of()
                : Arrays.stream(expected.trim().split(" ")).map(l -> switch (l) {
                    case "A" -> A;
                    case "B" -> B;
                    default -> C;
                }).toList();
        assertThat(found).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void resultsHaveTempoSearchShape() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).queryParam("q", "{ trace:rootName = \"nightly-batch\" }")
                .queryParam("from", "2026-11-27T09:00:00Z").queryParam("to", "2026-11-27T11:00:00Z")
                .get("/api/v1/traces").then().statusCode(200)
                .body("[0].rootServiceName", org.hamcrest.Matchers.equalTo("batcher"))
                .body("[0].rootTraceName", org.hamcrest.Matchers.equalTo("nightly-batch"))
                .body("[0].durationMs", org.hamcrest.Matchers.equalTo(3000));
    }

    @Test
    void unsupportedAndInvalidQueriesAre400NamingTheProblem() {
        RestAssured.given().queryParam("q", "{ } | count() > 2").get("/api/v1/traces").then().statusCode(400)
                .body("message", containsString("unsupported construct: pipeline"));
        RestAssured.given().queryParam("q", "{ duration = \"slow\" }").get("/api/v1/traces").then().statusCode(400)
                .body("message", containsString("duration is compared with a duration"));
        RestAssured.given().get("/api/v1/traces").then().statusCode(400).body("message", containsString("TraceQL"));
    }

    @Test
    void valuesAreBoundNotSplicedIntoSql() {
        RestAssured.given().header("X-Scope-OrgID", TENANT)
                .queryParam("q", "{ span.llm.model = \"x'; DROP TABLE spans; --\" }")
                .queryParam("from", "2026-11-27T09:00:00Z").queryParam("to", "2026-11-27T11:00:00Z")
                .get("/api/v1/traces").then().statusCode(200);
        assertThat(PostgresTestResource.cluster().psql("SELECT count(*) > 0 FROM spans WHERE tenant = '" + TENANT + "'"))
                .isEqualTo("t");
    }
}
