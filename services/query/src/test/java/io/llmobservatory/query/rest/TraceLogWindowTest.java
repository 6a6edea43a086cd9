package io.llmobservatory.query.rest;

import com.sun.net.httpserver.HttpServer;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Loki is asked for a trace's logs around the trace's spans (15 minutes either side), not for a week: Loki splits a
 * query by time and Loki 2.x's default queue refuses a week of parts (429).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(TraceLogWindowTest.AskedLoki.class)
class TraceLogWindowTest {
    private static final String TENANT = "loki-window";
    private static final String TRACE = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeee06";
    private static final long START_NS = 1_795_773_600_000_000_000L;
    private static final long END_NS = 1_795_773_602_000_000_000L;
    private static final long MARGIN_NS = 15 * 60 * 1_000_000_000L;

    /** A Loki 2.8 stand-in with no logs that records the queries it was asked. */
    public static class AskedLoki implements QuarkusTestResourceLifecycleManager {
        static final List<String> QUERIES = Collections.synchronizedList(new ArrayList<>());
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                byte[] body = (path.endsWith("/buildinfo") ? "{\"version\":\"2.8.0\"}"
                        : "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}")
                        .getBytes(StandardCharsets.UTF_8);
                if (path.endsWith("/query_range")) {
                    QUERIES.add(URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return Map.of("observatory.query.stores.logs", "loki",
                    "observatory.query.stores.loki-url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM spans WHERE tenant = '" + TENANT + "'");
        pg.psql("INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind, start_time, start_time_unix_nano,"
                + " end_time_unix_nano, duration_ns, status_code, status_message, service_name, attributes, events, links,"
                + " resource_attributes, scope_name, scope_version, scope_attributes) VALUES"
                + " ('" + TENANT + "', decode('" + TRACE + "', 'hex'), decode('e000000000000006', 'hex'), NULL, 'chat', 2,"
                + " to_timestamp(1795773600), " + START_NS + ", " + END_NS + ", 2000000000, 0, '', 'bot', '{}', '[]',"
                + " '[]', '{\"service.name\": \"bot\"}', 'lib', '1.0', '{}')");
    }

    @Test
    void lokiIsAskedAroundTheTracesSpans() {
        RestAssured.given().header("X-Scope-OrgID", TENANT).get("/api/v1/traces/" + TRACE).then().statusCode(200)
                .body("logsUnavailable", equalTo(false));
        assertThat(AskedLoki.QUERIES).hasSize(1);
        assertThat(AskedLoki.QUERIES.get(0)).contains("|= \"" + TRACE + "\"")
                .contains("start=" + (START_NS - MARGIN_NS)).contains("end=" + (END_NS + MARGIN_NS))
                .contains("limit=5000");
    }
}
