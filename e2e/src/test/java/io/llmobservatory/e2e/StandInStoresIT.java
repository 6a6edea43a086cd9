package io.llmobservatory.e2e;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What {@link RealStoresIT} checks against the real servers, against the recorded stand-ins (so CI, which has no
 * Tempo or Loki, runs it): enrich writes traces to "Tempo" and logs to "Loki 2.8" alone, and the client's OK means
 * they accepted them; a trace with more logs than Loki answers at once is read whole; without Loki the trace is
 * still answered.
 */
class StandInStoresIT {
    private static Suite suite;
    private static FakeStores.Tempo tempo;
    private static FakeStores.Loki loki;
    private static Suite.Extra query;

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        tempo = new FakeStores.Tempo(false);
        loki = new FakeStores.Loki(false);
        suite.restartEnrich(Map.of("OBSERVATORY_ENRICH_STORES_TRACES", "tempo",
                "OBSERVATORY_ENRICH_STORES_TEMPO_OTLP_ENDPOINT", "127.0.0.1:" + tempo.port(),
                "OBSERVATORY_ENRICH_STORES_LOGS", "loki",
                "OBSERVATORY_ENRICH_STORES_LOKI_URL", loki.url()));
        query = suite.startExtraQuery("stand-ins", Map.of("OBSERVATORY_QUERY_STORES_TRACES", "tempo",
                "OBSERVATORY_QUERY_STORES_TEMPO_URL", tempo.url(),
                "OBSERVATORY_QUERY_STORES_LOGS", "loki",
                "OBSERVATORY_QUERY_STORES_LOKI_URL", loki.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        query.close();
        suite.restartEnrich(Map.of());
        tempo.close();
        loki.close();
    }

    @Test
    void aTraceIsReadWithAllItsLogsFromLoki28() {
        String tenant = Llm.newTenant("stand-in");
        String trace = RealStoresIT.sendTrace(suite, tenant);
        RealStoresIT.sendLogs(suite, tenant, trace, 5_200, "step");
        // The client's OK came after the stand-ins accepted the batches: no waiting needed.
        JsonPath view = RestAssured.given().baseUri(query.url()).header("Authorization", Llm.bearer(suite, tenant))
                .get("/api/v1/traces/" + trace).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("spanCount")).isEqualTo(2);
        assertThat(view.getBoolean("logsUnavailable")).isFalse();
        assertThat(view.getList("logs")).hasSize(5_200);
        assertThat(view.getList("logs.traceId", String.class)).containsOnly(trace);
        assertThat(view.getString("logs[0].body")).isEqualTo("step 5199");
        // Loki 2.8 has no structured metadata (the stand-in refuses it as 2.8 does): enrich pushed [ts, line] values.
        assertThat(loki.pushes).isNotEmpty().allSatisfy(push -> Recordings.json(push).path("streams")
                .forEach(stream -> stream.path("values").forEach(value -> assertThat(value.size()).isEqualTo(2))));
        RestAssured.given().baseUri(query.url()).header("Authorization", Llm.bearer(suite, tenant))
                .get("/api/traces/" + trace).then().statusCode(200)
                .body("batches[0].resource.attributes.find { it.key == 'service.name' }.value.stringValue",
                        equalTo("real-stores-app"));
        RestAssured.given().baseUri(query.url()).header("Authorization", Llm.bearer(suite, Llm.newTenant("other")))
                .get("/api/v1/traces/" + trace).then().statusCode(404);
    }

    @Test
    void withLokiGoneTheTraceIsAnsweredAndSaysSo() throws Exception {
        String tenant = Llm.newTenant("stand-in-down");
        String trace = RealStoresIT.sendTrace(suite, tenant);
        try (Suite.Extra lokiDown = suite.startExtraQuery("loki-down", Map.of(
                "OBSERVATORY_QUERY_STORES_TRACES", "tempo", "OBSERVATORY_QUERY_STORES_TEMPO_URL", tempo.url(),
                "OBSERVATORY_QUERY_STORES_LOGS", "loki",
                "OBSERVATORY_QUERY_STORES_LOKI_URL", "http://127.0.0.1:" + Suite.freePort()))) {
            RestAssured.given().baseUri(lokiDown.url()).header("Authorization", Llm.bearer(suite, tenant))
                    .get("/api/v1/traces/" + trace).then().statusCode(200).body("spanCount", equalTo(2))
                    .body("logsUnavailable", equalTo(true)).body("warnings.size()", equalTo(1));
        }
    }
}
