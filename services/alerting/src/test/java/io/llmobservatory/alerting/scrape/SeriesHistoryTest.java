package io.llmobservatory.alerting.scrape;

import io.llmobservatory.alerting.rules.HealthExprParser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeriesHistoryTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static String scrape(double failed, double queue) {
        return """
                # HELP otelcol_exporter_send_failed_spans_total Spans that failed
                # TYPE otelcol_exporter_send_failed_spans_total counter
                otelcol_exporter_send_failed_spans_total{exporter="enrich"} %s
                otelcol_exporter_send_failed_spans_total{exporter="tempo"} 0.0
                otelcol_exporter_queue_size{exporter="tempo"} %s
                otelcol_exporter_queue_capacity{exporter="tempo"} 1000.0
                malformed{line 1
                """.formatted(failed, queue);
    }

    @Test
    void ratesInstantValuesAndRatiosOverScrapedSamples() {
        SeriesHistory h = new SeriesHistory();
        h.add(PrometheusText.parse(scrape(0, 100)), "ingest:4318", T0);
        h.add(PrometheusText.parse(scrape(3000, 900)), "ingest:4318", T0.plusSeconds(15));
        h.add(PrometheusText.parse(scrape(200, 950)), "ingest:4318", T0.plusSeconds(30)); // counter reset: +200
        Instant now = T0.plusSeconds(30);

        // (3000 + 200) / 30 s, the reset counted as a restart from zero
        assertThat(h.evaluate(HealthExprParser.parse("rate(otelcol_exporter_send_failed_spans[5m]) > 100"), now).entrySet())
                .singleElement().satisfies(e -> {
                    assertThat(e.getKey()).containsEntry("exporter", "enrich").containsEntry("instance", "ingest:4318");
                    assertThat(e.getValue()).isCloseTo(3200 / 30.0, within(1e-9));
                });
        assertThat(h.evaluate(HealthExprParser.parse("rate(otelcol_exporter_send_failed_spans[5m]) > 200"), now)).isEmpty();
        assertThat(h.evaluate(HealthExprParser.parse("otelcol_exporter_queue_size > 900"), now)).containsValue(950.0);
        assertThat(h.evaluate(HealthExprParser.parse("otelcol_exporter_queue_size / otelcol_exporter_queue_capacity > 0.9"), now).entrySet())
                .singleElement().satisfies(e -> assertThat(e.getValue()).isCloseTo(0.95, within(1e-9)));
        assertThat(h.evaluate(HealthExprParser.parse("otelcol_exporter_queue_size{exporter=\"loki\"} > 0"), now)).isEmpty();
        // One sample in the window is no rate
        assertThat(h.evaluate(HealthExprParser.parse("rate(otelcol_exporter_send_failed_spans[10s]) >= 0"), now)).isEmpty();
        // Stale: five minutes without a scrape
        assertThat(h.evaluate(HealthExprParser.parse("otelcol_exporter_queue_size > 0"), now.plusSeconds(400))).isEmpty();
    }

    @Test
    void parsesTheTextFormat() {
        assertThat(PrometheusText.parse("a_total{x=\"1\",y=\"q\\\"\"} 2.5 1700000000\nb 3\n# c 4\nd{} NaN\n"))
                .containsExactly(new PrometheusText.Sample("a_total", Map.of("x", "1", "y", "q\""), 2.5),
                        new PrometheusText.Sample("b", Map.of(), 3.0),
                        new PrometheusText.Sample("d", Map.of(), Double.NaN));
    }
}
