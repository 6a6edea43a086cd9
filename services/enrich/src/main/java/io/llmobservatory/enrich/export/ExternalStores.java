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
 * PostgreSQL write; when it goes only to Tempo/Loki, the batch is sent before the client is answered and an outage
 * answers a retryable error.
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

    public ExternalStores(EnrichConfig config, MeterRegistry registry) {
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
            this.loki = new LokiSender(url, export.timeout());
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
        return Uni.createFrom().completionStage(() -> tempo.send(tenant, spans)).onFailure().transform(ExternalStores::storage);
    }

    public Uni<Void> logs(String tenant, List<LogRecordData> records) {
        if (loki == null || records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (logs == Choice.BOTH) {
            lokiQueue.offer(tenant, records);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> loki.send(tenant, records)).onFailure().transform(ExternalStores::storage);
    }

    private static Throwable storage(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        boolean retryable = !(cause instanceof SendException se) || se.retryable();
        return new StorageException(cause.getMessage(), retryable, cause);
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
