package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.enrich.storage.WriteBatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Stores prepared trace batches durably. Without a write-ahead log ({@code observatory.enrich.wal.dir} unset) a batch
 * is written to PostgreSQL and acknowledged once committed. With one, a batch is acknowledged once it is fsynced in
 * the log ({@link WriteAheadLog}: concurrent batches share an fsync) and written to PostgreSQL after it by a
 * {@link LogApplier}, which on start writes again whatever the log holds after its checkpoint. A batch written twice
 * stores nothing twice: the trace keys claim every row ({@link TraceRepository}).
 */
@ApplicationScoped
public class TraceWriter {
    private static final Logger LOG = Logger.getLogger(TraceWriter.class);

    private final TraceRepository repository;
    private final EnrichConfig.WriteAheadLog config;
    private final MeterRegistry registry;
    private WriteAheadLog log;
    private LogApplier applier;

    public TraceWriter(TraceRepository repository, EnrichConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.config = config.wal();
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (config.dir().isEmpty()) {
            return;
        }
        if (config.writers() < 1 || config.batchesPerWrite() < 1) {
            throw new IllegalArgumentException("observatory.enrich.wal.writers and .batches-per-write must be at least 1");
        }
        Path dir = Path.of(config.dir().get());
        WriteAheadLog opened = WriteAheadLog.open(dir, config.segmentBytes(), config.maxBacklogBytes());
        if (opened.end() > opened.checkpointed()) {
            LOG.infof("write-ahead log %s: %d bytes not yet in PostgreSQL are written again", dir,
                    opened.end() - opened.checkpointed());
        }
        applier = new LogApplier(opened, repository::write, config.writers(), config.batchesPerWrite(),
                dir.resolve("rejected"), registry);
        Gauge.builder("observatory.enrich.wal.backlog", opened, l -> l.end() - applier.watermark()).baseUnit("bytes")
                .description("Bytes of the write-ahead log not yet committed to PostgreSQL").register(registry);
        log = opened;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (log != null) {
            applier.close();
            log.close();
        }
    }

    /** The write or fsync failure that stopped the write-ahead log (restart enrich to recover it), or null. */
    public IOException logFailure() {
        WriteAheadLog wal = log;
        return wal == null ? null : wal.failure();
    }

    /** Whether batches are acknowledged once in the write-ahead log (rather than once committed in PostgreSQL). */
    public boolean logged() {
        return log != null;
    }

    /** Completes once the batch is durable: in the write-ahead log, or without one, committed in PostgreSQL. */
    public Uni<Void> store(WriteBatch batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        WriteAheadLog wal = log;
        if (wal == null) {
            return repository.write(batch);
        }
        byte[] bytes = batch.encode();
        Context context = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> wal.append(bytes).whenComplete((offset, failure) -> {
            Runnable answer = () -> {
                if (failure == null) {
                    emitter.complete(null);
                } else {
                    emitter.fail(new StorageException("write-ahead log: " + failure.getMessage(), true, failure));
                }
            };
            // Answer on the caller's event loop, not on the log's writer thread.
            if (context != null) {
                context.runOnContext(v -> answer.run());
            } else {
                answer.run();
            }
        }));
    }
}
