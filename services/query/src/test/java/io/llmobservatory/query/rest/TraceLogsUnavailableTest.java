package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Logs in Loki, and Loki down: a trace is still answered (200) with its spans, saying its logs were unavailable;
 * Tempo's trace path never asks for logs at all.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@TestProfile(TraceLogsUnavailableTest.LokiDown.class)
class TraceLogsUnavailableTest {
    private static final String TENANT = "loki-down";
    private static final String TRACE = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeee05";

    public static class LokiDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("observatory.query.stores.logs", "loki",
                    "observatory.query.stores.loki-url", "http://127.0.0.1:" + closedPort());
        }
    }

    /** A port nothing listens on: connections are refused, as with a Loki that is down. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM spans WHERE tenant = '" + TENANT + "'");
        pg.psql("INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind, start_time, start_time_unix_nano,"
                + " end_time_unix_nano, duration_ns, status_code, status_message, service_name, attributes, events, links,"
                + " resource_attributes, scope_name, scope_version, scope_attributes) VALUES"
                + " ('" + TENANT + "', decode('" + TRACE + "', 'hex'), decode('e000000000000001', 'hex'), NULL, 'chat', 2,"
                + " to_timestamp(1795773600), 1795773600000000000, 1795773602000000000, 2000000000, 0, '', 'bot', '{}', '[]',"
                + " '[]', '{\"service.name\": \"bot\"}', 'lib', '1.0', '{}')");
    }

    @Test
    void theTraceIsAnsweredWhenItsLogsAreUnavailable() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).get("/api/v1/traces/" + TRACE).then().statusCode(200)
                .body("spanCount", equalTo(1)).body("spans.name", contains("chat"))
                .body("logs", empty()).body("logsUnavailable", equalTo(true))
                .body("warnings", hasItem(containsString("Loki unreachable")));
    }

    @Test
    void tempoTracePathDoesNotAskForLogs() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).get("/api/traces/" + TRACE).then().statusCode(200)
                .body("batches[0].scopeSpans[0].spans[0].name", equalTo("chat"));
    }

    @Test
    void anAbsentTraceIsStill404() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).get("/api/v1/traces/eeeeeeeeeeeeeeeeeeeeeeeeeeeeee99")
                .then().statusCode(404).body("message", containsString("logs could not be read"));
    }
}
