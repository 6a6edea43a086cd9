package io.llmobservatory.query.rest;

import io.llmobservatory.query.model.SpanView;
import io.llmobservatory.query.store.TempoClient;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Grafana's Tempo data source pointed at the query service: our own Tempo client (tested against recorded Tempo
 * answers) reads traces and searches through the Tempo-compatible paths, served from PostgreSQL.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TempoCompatTest {
    private static final String TENANT = "tempo-compat";
    private static final String TRACE = "dddddddddddddddddddddddddddddd04";

    @BeforeAll
    static void fixtures() {
        PostgresCluster pg = PostgresTestResource.cluster();
        pg.psql("DELETE FROM spans WHERE tenant = '" + TENANT + "'");
        pg.psql("INSERT INTO spans (tenant, trace_id, span_id, parent_span_id, name, kind, start_time, start_time_unix_nano,"
                + " end_time_unix_nano, duration_ns, status_code, status_message, service_name, attributes, events, links,"
                + " resource_attributes, scope_name, scope_version, scope_attributes) VALUES"
                + " ('" + TENANT + "', decode('" + TRACE + "', 'hex'), decode('d000000000000001', 'hex'), NULL, 'POST /chat', 2,"
                + " to_timestamp(1795773600), 1795773600000000000, 1795773602000000000, 2000000000, 0, '', 'bot', '{}', '[]',"
                + " '[]', '{\"service.name\": \"bot\"}', 'lib', '1.0', '{}'),"
                + " ('" + TENANT + "', decode('" + TRACE + "', 'hex'), decode('d000000000000002', 'hex'),"
                + " decode('d000000000000001', 'hex'), 'chat gpt-4o', 3, to_timestamp(1795773600.5), 1795773600500000000,"
                + " 1795773601500000000, 1000000000, 2, 'rate limited', 'bot',"
                + " '{\"gen_ai.request.model\": \"gpt-4o\", \"gen_ai.usage.input_tokens\": 1000}',"
                + " '[{\"name\": \"retry\", \"timeUnixNano\": 1795773601000000000, \"attributes\": {\"n\": 1}}]', '[]',"
                + " '{\"service.name\": \"bot\"}', 'lib', '1.0', '{}')");
    }

    private static TempoClient tempo() {
        return new TempoClient("http://localhost:" + RestAssured.port, Duration.ofSeconds(10));
    }

    @Test
    void tracesReadThroughTheTempoPathRoundTrip() {
        List<SpanView> spans = tempo().trace(TENANT, TRACE).orElseThrow();
        assertThat(spans).extracting(SpanView::name).containsExactlyInAnyOrder("POST /chat", "chat gpt-4o");
        SpanView chat = spans.stream().filter(s -> s.name().equals("chat gpt-4o")).findFirst().orElseThrow();
        assertThat(chat.traceId()).isEqualTo(TRACE);
        assertThat(chat.parentSpanId()).isEqualTo("d000000000000001");
        assertThat(chat.kind()).isEqualTo("CLIENT");
        assertThat(chat.statusCode()).isEqualTo("ERROR");
        assertThat(chat.statusMessage()).isEqualTo("rate limited");
        assertThat(chat.attributes()).containsEntry("gen_ai.request.model", "gpt-4o").containsEntry("gen_ai.usage.input_tokens", 1000L);
        assertThat(chat.events()).hasSize(1);
        assertThat(chat.serviceName()).isEqualTo("bot");
        assertThat(chat.scope().version()).isEqualTo("1.0");
        assertThat(tempo().trace(TENANT, "dddddddddddddddddddddddddddddd99")).isEmpty();
    }

    @Test
    void searchAndEchoAnswerLikeTempo() {
        List<TempoClient.TraceSummary> hits = tempo().search(TENANT, "{ span.gen_ai.request.model = \"gpt-4o\" }",
                Instant.ofEpochSecond(1795773000), Instant.ofEpochSecond(1795774000), 10);
        assertThat(hits).extracting(TempoClient.TraceSummary::traceId).containsExactly(TRACE);
        assertThat(hits.get(0).rootServiceName()).isEqualTo("bot");
        assertThat(hits.get(0).rootTraceName()).isEqualTo("POST /chat");
        assertThat(hits.get(0).durationMs()).isEqualTo(2000);
        RestAssured.get("/api/echo").then().statusCode(200).body(equalTo("echo"));
    }
}
