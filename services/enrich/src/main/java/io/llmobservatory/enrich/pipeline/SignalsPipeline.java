package io.llmobservatory.enrich.pipeline;

import io.llmobservatory.enrich.export.ExternalStores;
import io.llmobservatory.enrich.genai.GenAiMetrics;
import io.llmobservatory.enrich.pii.SpanScrubber;
import io.llmobservatory.enrich.storage.LogRepository;
import io.llmobservatory.enrich.storage.MetricRepository;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.model.MetricPoint;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Metrics and logs: mapped once, PII-scrubbed like spans (GenAI events carried as log records keep their trace
 * and span ids, which link them to their span), GenAI metrics tagged with model and provider, then stored.
 */
@ApplicationScoped
public class SignalsPipeline implements MetricsConsumer, LogsConsumer {
    private final SpanScrubber scrubber;
    private final MetricRepository metrics;
    private final LogRepository logs;
    private final ExternalStores external;
    private final Counter storedPoints;
    private final Counter storedLogs;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();

    public SignalsPipeline(SpanScrubber scrubber, MetricRepository metrics, LogRepository logs, ExternalStores external,
                           MeterRegistry registry) {
        this.scrubber = scrubber;
        this.metrics = metrics;
        this.logs = logs;
        this.external = external;
        this.storedPoints = Counter.builder("observatory.enrich.stored.metric.points")
                .description("Metric data points committed to storage").register(registry);
        this.storedLogs = Counter.builder("observatory.enrich.stored.log.records")
                .description("Log records committed to storage").register(registry);
        this.registry = registry;
    }

    /** {@code otelcol_exporter_sent_<items>} / {@code _send_failed_<items>} with exporter=postgresql. */
    private <T> Uni<T> counted(Uni<T> write, String items, int n) {
        return write.invoke(() -> exporter("sent", items).increment(n))
                .onFailure().invoke(() -> exporter("send.failed", items).increment(n));
    }

    private Counter exporter(String outcome, String items) {
        return Counter.builder("otelcol.exporter." + outcome + "." + items).tag("exporter", "postgresql").register(registry);
    }

    @Override
    public Uni<Integer> consumeMetrics(String tenant, ExportMetricsServiceRequest batch) {
        List<MetricPoint> points = scrubber.scrubMetrics(tenant, OtlpMapper.toMetricPoints(batch));
        List<MetricRepository.Row> rows = points.stream().map(p -> new MetricRepository.Row(p, GenAiMetrics.dims(p))).toList();
        return counted(metrics.store(tenant, rows), "metric.points", rows.size())
                .invoke(() -> storedPoints.increment(rows.size())).replaceWith(rows.size());
    }

    @Override
    public Uni<Integer> consumeLogs(String tenant, ExportLogsServiceRequest batch) {
        List<LogRecordData> records = scrubber.scrubLogs(tenant, OtlpMapper.toLogRecords(batch));
        // Records with neither a time nor an observed time are filed under the day they arrived: a deterministic time,
        // so a client's retry the same day hits the same key (the partition key must be part of it).
        Instant day = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        long received = day.getEpochSecond() * 1_000_000_000L;
        Uni<Void> postgres = external.logsToPostgres() ? counted(logs.store(tenant, records, received), "log.records",
                records.size()) : Uni.createFrom().voidItem();
        return postgres.chain(() -> external.logs(tenant, records)).invoke(() -> storedLogs.increment(records.size()))
                .replaceWith(records.size());
    }
}
