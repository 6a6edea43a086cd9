package io.llmobservatory.query.store;

import io.llmobservatory.query.model.SpanView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Tempo read adapter against recorded Tempo answers (base64 ids, enum names, v1 batches, search hits). */
class TempoClientTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";

    @Test
    void readsV2TracesConvertingIdsAndEnumsBackToOtlpConventions() throws Exception {
        try (RecordedServer tempo = new RecordedServer(uri -> uri.startsWith("/api/v2/traces/" + TRACE)
                ? new RecordedServer.Answer(200, "/tempo/trace-v2.json") : new RecordedServer.Answer(404, "/tempo/not-found.txt"))) {
            List<SpanView> spans = new TempoClient(tempo.url(), Duration.ofSeconds(5)).trace("tenant-a", TRACE).orElseThrow();
            assertThat(spans).hasSize(1);
            SpanView s = spans.get(0);
            assertThat(s.traceId()).isEqualTo(TRACE);
            assertThat(s.spanId()).isEqualTo("eee19b7ec3c1b174");
            assertThat(s.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
            assertThat(s.kind()).isEqualTo("CLIENT");
            assertThat(s.statusCode()).isEqualTo("ERROR");
            assertThat(s.statusMessage()).isEqualTo("rate limited");
            assertThat(s.serviceName()).isEqualTo("bot");
            assertThat(s.durationMs()).isEqualTo(1500.0);
            assertThat(s.attributes()).containsEntry("gen_ai.request.model", "gpt-4o").containsEntry("gen_ai.usage.input_tokens", 1000L);
            assertThat(s.scope().name()).isEqualTo("lib");
            assertThat(tempo.tenants).containsOnly("tenant-a");
        }
    }

    @Test
    void fallsBackToV1BatchesOnOlderTempo() throws Exception {
        try (RecordedServer tempo = new RecordedServer(uri -> uri.startsWith("/api/traces/" + TRACE)
                ? new RecordedServer.Answer(200, "/tempo/trace-v1.json") : new RecordedServer.Answer(404, "/tempo/not-found.txt"))) {
            List<SpanView> spans = new TempoClient(tempo.url(), Duration.ofSeconds(5)).trace("t", TRACE).orElseThrow();
            assertThat(spans).extracting(SpanView::kind).containsExactly("SERVER");
            assertThat(spans.get(0).scope().version()).isEqualTo("1.0");
            assertThat(tempo.requests).containsExactly("/api/v2/traces/" + TRACE, "/api/traces/" + TRACE);
        }
    }

    @Test
    void anUnknownTraceIsEmptyAndErrorsAreStoreErrors() throws Exception {
        try (RecordedServer tempo = new RecordedServer(uri -> new RecordedServer.Answer(404, "/tempo/not-found.txt"))) {
            assertThat(new TempoClient(tempo.url(), Duration.ofSeconds(5)).trace("t", TRACE)).isEmpty();
        }
        try (RecordedServer tempo = new RecordedServer(uri -> new RecordedServer.Answer(500, "/tempo/not-found.txt"))) {
            assertThatThrownBy(() -> new TempoClient(tempo.url(), Duration.ofSeconds(5)).trace("t", TRACE))
                    .isInstanceOf(StoreException.class).hasMessageContaining("Tempo answered 500");
        }
        assertThatThrownBy(() -> new TempoClient("http://127.0.0.1:1", Duration.ofSeconds(2)).trace("t", TRACE))
                .isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
    }

    @Test
    void searchesWithTraceQl() throws Exception {
        try (RecordedServer tempo = new RecordedServer(uri -> new RecordedServer.Answer(200, "/tempo/search.json"))) {
            List<TempoClient.TraceSummary> hits = new TempoClient(tempo.url(), Duration.ofSeconds(5)).search("t",
                    "{ span.gen_ai.request.model = \"gpt-4o\" && duration > 5s }", Instant.ofEpochSecond(1795773000),
                    Instant.ofEpochSecond(1795774000), 20);
            assertThat(hits).extracting(TempoClient.TraceSummary::traceId)
                    .containsExactly(TRACE, "02f3e0cee77ae5dc9c17ade3689eb2e5");
            assertThat(hits.get(0).durationMs()).isEqualTo(1500);
            assertThat(tempo.requests.get(0)).startsWith("/api/search?q=%7B+span.gen_ai.request.model+%3D+%22gpt-4o%22")
                    .contains("&start=1795773000&end=1795774000&limit=20");
        }
    }
}
