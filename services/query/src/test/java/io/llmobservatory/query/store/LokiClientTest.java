package io.llmobservatory.query.store;

import io.llmobservatory.query.model.LogView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Loki read adapter against a recorded query_range answer. */
class LokiClientTest {

    @Test
    void readsStreamsWithStructuredMetadataNewestFirst() throws Exception {
        try (RecordedServer loki = new RecordedServer(uri -> new RecordedServer.Answer(200, "/loki/query_range.json"))) {
            List<LogView> logs = new LokiClient(loki.url(), Duration.ofSeconds(5), 5000).queryRange("tenant-a",
                    "{service_name=\"bot\"}", Instant.ofEpochSecond(1795773000), Instant.ofEpochSecond(1795774000), 10);
            assertThat(logs).extracting(LogView::body).containsExactly("payment failed", "hello");
            LogView error = logs.get(0);
            assertThat(error.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(error.spanId()).isEqualTo("eee19b7ec3c1b174");
            assertThat(error.severityNumber()).isEqualTo(17);
            assertThat(error.severityText()).isEqualTo("error");
            assertThat(error.serviceName()).isEqualTo("bot");
            assertThat(error.timeUnixNano()).isEqualTo(1795773602000000000L);
            assertThat(error.attributes()).containsEntry("card", "<CREDIT_CARD>");
            assertThat(logs.get(1).severityNumber()).isEqualTo(9);
            assertThat(loki.tenants).containsOnly("tenant-a");
            assertThat(loki.requests.get(0)).startsWith("/loki/api/v1/query_range?query=%7Bservice_name%3D%22bot%22%7D")
                    .contains("&start=1795773000000000000&end=1795774000000000000&limit=10&direction=backward");
        }
    }

    @Test
    void aTracesLogsAreReadInPagesLokiAccepts() throws Exception {
        String trace = "5b8efff798038103d269b633813fc60c";
        long first = 1795773600000000000L;
        try (PagingLoki loki = new PagingLoki(trace, 12_001, first)) {
            LokiClient client = new LokiClient(loki.url(), Duration.ofSeconds(5), PagingLoki.MAX_ENTRIES);
            List<LogView> logs = client.ofTrace("t", trace, Instant.ofEpochSecond(0, first),
                    Instant.ofEpochSecond(0, first + 10_000), 10_000);
            assertThat(loki.limits).isNotEmpty().allMatch(limit -> limit <= PagingLoki.MAX_ENTRIES);
            // Every record once, the newest 10,000 (ids 12000 down to 2001), from Loki 2.8's envelope lines.
            assertThat(logs).hasSize(10_000).extracting(LogView::body).doesNotHaveDuplicates()
                    .startsWith("line 12000").endsWith("line 2001");
            assertThat(logs).allMatch(l -> trace.equals(l.traceId()) && l.severityNumber() == 9
                    && !l.attributes().containsKey("body"));
            assertThat(loki.queries).containsOnly("{service_name=~\".+\"} |= \"" + trace + "\"");
        }
    }

    @Test
    void aLimitAboveLokisIsRefusedByLoki() throws Exception {
        // The stand-in refuses as Loki does, so the test above would fail if the client asked for more.
        try (PagingLoki loki = new PagingLoki("5b8efff798038103d269b633813fc60c", 1, 1)) {
            assertThatThrownBy(() -> new LokiClient(loki.url(), Duration.ofSeconds(5), 10_000).queryRange("t",
                    "{service_name=\"bot\"}", Instant.EPOCH, Instant.now(), 10_000))
                    .isInstanceOf(StoreException.class).hasMessageContaining("max_entries_limit (10000 > 5000)");
        }
    }

    @Test
    void lokiErrorsAreStoreErrors() throws Exception {
        try (RecordedServer loki = new RecordedServer(uri -> new RecordedServer.Answer(400, "/loki/parse-error.txt"))) {
            assertThatThrownBy(() -> new LokiClient(loki.url(), Duration.ofSeconds(5), 5000).queryRange("t", "{", Instant.EPOCH,
                    Instant.now(), 10)).isInstanceOf(StoreException.class).hasMessageContaining("parse error");
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", delimiter = ';', quoteCharacter = '`', textBlock = """
            null ; null ; {service_name=~".+"}
            bot  ; null ; {service_name="bot"}
            bot  ; 17   ; {service_name="bot", severity=~"error|fatal"}
            null ; 9    ; {service_name=~".+", severity=~"info|warn|error|fatal"}
            """)
    void buildsSelectorsForTheApiFilters(String service, Integer severity, String expected) {
        assertThat(LokiClient.selector(service, severity)).isEqualTo(expected);
    }
}
