package io.llmobservatory.enrich.export;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.config.EnrichConfig.Stores.Choice;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Tempo and Loki, as configured per signal ({@code observatory.enrich.stores.*}). When a signal goes to PostgreSQL
 * too, the external copy is sent asynchronously through an {@link ExportQueue} and never blocks or fails the
 * PostgreSQL write; when it goes only to Tempo/Loki, the batch is sent before the client is answered, and any failure
 * of the store (outage, throttling, or a refusal: a mismatch between our push and the store's version or limits, never
 * the client's fault) is answered retryable (UNAVAILABLE + RetryInfo), logged as an error and counted in
 * {@code otelcol_exporter_send_failed_<items>{exporter}}.
 */
@ApplicationScoped
public class ExternalStores {
    private static final Logger LOG = Logger.getLogger(ExternalStores.class);

    private final Choice traces;
    private final Choice logs;
    private final TempoSender tempo;
    private final LokiSender loki;
    private final ExportQueue<List<SpanRecord>> tempoQueue;
    private final ExportQueue<List<LogRecordData>> lokiQueue;
    private final MeterRegistry registry;

    public ExternalStores(EnrichConfig config, MeterRegistry registry) {
        this.registry = registry;
        EnrichConfig.Stores stores = config.stores();
        EnrichConfig.Stores.Export export = stores.export();
        this.traces = stores.traces();
        this.logs = stores.logs();
        if (traces == Choice.LOKI || logs == Choice.TEMPO) {
            throw new IllegalArgumentException("observatory.enrich.stores: traces may be postgres, tempo or both; "
                    + "logs may be postgres, loki or both");
        }
        if (traces != Choice.POSTGRES) {
            String endpoint = stores.tempo().otlpEndpoint().orElseThrow(() -> new IllegalArgumentException(
                    "observatory.enrich.stores.traces=" + traces + " needs observatory.enrich.stores.tempo.otlp-endpoint"));
            this.tempo = new TempoSender(endpoint, export.timeout());
            this.tempoQueue = new ExportQueue<>(tempo, "spans", export.queueCapacity(), export.maxAttempts(),
                    export.initialBackoff(), export.maxBackoff(), registry);
            LOG.infof("traces go to %s (Tempo OTLP %s)", traces, endpoint);
        } else {
            this.tempo = null;
            this.tempoQueue = null;
        }
        if (logs != Choice.POSTGRES) {
            String url = stores.loki().url().orElseThrow(() -> new IllegalArgumentException(
                    "observatory.enrich.stores.logs=" + logs + " needs observatory.enrich.stores.loki.url"));
            this.loki = new LokiSender(url, export.timeout(), stores.loki().structuredMetadata());
            // Learn Loki's version now; when it is not up yet, the first push asks again.
            loki.detect().whenComplete((metadata, failure) -> {
                if (failure != null) {
                    LOG.infof("Loki's version not known yet (asked again before the first push): %s", failure.getMessage());
                }
            });
            this.lokiQueue = new ExportQueue<>(loki, "log.records", export.queueCapacity(), export.maxAttempts(),
                    export.initialBackoff(), export.maxBackoff(), registry);
            LOG.infof("logs go to %s (Loki %s)", logs, url);
        } else {
            this.loki = null;
            this.lokiQueue = null;
        }
    }

    public boolean spansToPostgres() {
        return traces != Choice.TEMPO;
    }

    /** Whether spans go on to Tempo: only then does a batch keep its spans until its PostgreSQL commit. */
    public boolean spansToTempo() {
        return tempo != null;
    }

    public boolean logsToPostgres() {
        return logs != Choice.LOKI;
    }

    /** After the PostgreSQL commit (or instead of it, for Tempo only): sends the spans on to Tempo. */
    public Uni<Void> spans(String tenant, List<SpanRecord> spans) {
        if (tempo == null || spans.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (traces == Choice.BOTH) {
            tempoQueue.offer(tenant, spans);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> tempo.send(tenant, spans))
                .invoke(() -> counter("otelcol.exporter.sent.spans", tempo).increment(spans.size()))
                .onFailure().transform(f -> storage(f, tempo, "spans", spans.size()));
    }

    public Uni<Void> logs(String tenant, List<LogRecordData> records) {
        if (loki == null || records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (logs == Choice.BOTH) {
            lokiQueue.offer(tenant, records);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> loki.send(tenant, records))
                .invoke(() -> counter("otelcol.exporter.sent.log.records", loki).increment(records.size()))
                .onFailure().transform(f -> storage(f, loki, "log.records", records.size()));
    }

    /**
     * A failed send of a batch that goes to Tempo/Loki alone: always retryable. The store refusing it (400 from Loki,
     * INVALID_ARGUMENT from Tempo) is a mismatch on our side (a store version or limit), not bad data from the client,
     * and the client must keep the data to send again once it is fixed.
     */
    private StorageException storage(Throwable failure, Sender<?> sender, String items, int count) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        counter("otelcol.exporter.send.failed." + items, sender).increment(count);
        boolean refused = cause instanceof SendException se && !se.retryable();
        LOG.errorf("%s %s %d %s: %s; answering UNAVAILABLE so the client retries%s", sender.name(),
                refused ? "REFUSED" : "failed to store", count, items, cause.getMessage(),
                refused ? " (check the store's version and limits against this suite's compatibility table)" : "");
        return new StorageException(sender.name() + " could not store the batch: " + cause.getMessage(), true, cause);
    }

    private io.micrometer.core.instrument.Counter counter(String name, Sender<?> sender) {
        return io.micrometer.core.instrument.Counter.builder(name).tag("exporter", sender.name()).register(registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (tempoQueue != null) {
            tempoQueue.close();
            tempo.close();
        }
        if (lokiQueue != null) {
            lokiQueue.close();
        }
    }
}
