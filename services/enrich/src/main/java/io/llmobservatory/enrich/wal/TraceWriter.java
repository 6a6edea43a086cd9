package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.enrich.storage.WriteBatch;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores prepared trace batches durably. Without a write-ahead log ({@code observatory.enrich.wal.dir} unset) a batch
 * is written to PostgreSQL and acknowledged once committed, with group commit: at most {@code storage.writers}
 * statements run at once, and the batches that arrive meanwhile wait and are written together, up to
 * {@code storage.batches-per-write} consecutive batches of one tenant merged into one statement
 * ({@link WriteBatch#merge}); each is acknowledged when that statement commits. If PostgreSQL refuses a merged
 * statement as invalid, its batches are written one by one, so only the bad one's export is refused. With a log, a batch is acknowledged once it is fsynced in
 * the log ({@link WriteAheadLog}: concurrent batches share an fsync) and written to PostgreSQL after it by a
 * {@link LogApplier}, which on start writes again whatever the log holds after its checkpoint. A batch written twice
 * stores nothing twice: the trace keys claim every row ({@link TraceRepository}).
 */
@ApplicationScoped
public class TraceWriter {
    private static final Logger LOG = Logger.getLogger(TraceWriter.class);

    private final TraceRepository repository;
    private final EnrichConfig.WriteAheadLog config;
    private final int writers;
    private final int perWrite;
    private final MeterRegistry registry;
    private final DistributionSummary batchesPerStatement;
    /** Batches waiting for a writer, in arrival order; also the lock of {@link #running}. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int running;
    private WriteAheadLog log;
    private LogApplier applier;

    public TraceWriter(TraceRepository repository, EnrichConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.config = config.wal();
        this.writers = config.storage().writers();
        this.perWrite = config.storage().batchesPerWrite();
        this.registry = registry;
        this.batchesPerStatement = DistributionSummary.builder("observatory.enrich.db.write.batches")
                .description("Trace batches written by one statement (more than one: merged by group commit)")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        if (config.dir().isEmpty()) {
            return;
        }
        Path dir = Path.of(config.dir().get());
        WriteAheadLog opened = WriteAheadLog.open(dir, config.segmentBytes(), config.maxBacklogBytes());
        if (opened.end() > opened.checkpointed()) {
            LOG.infof("write-ahead log %s: %d bytes not yet in PostgreSQL are written again", dir,
                    opened.end() - opened.checkpointed());
        }
        applier = new LogApplier(opened, repository::write, writers, perWrite,
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
            return Uni.createFrom().emitter(emitter -> {
                List<Waiting> group;
                synchronized (waiting) {
                    waiting.add(new Waiting(batch, emitter, Vertx.currentContext()));
                    group = nextGroup();
                }
                if (group != null) {
                    write(group);
                }
            });
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

    /** A batch waiting to be written, and how to answer its export. */
    private record Waiting(WriteBatch batch, UniEmitter<? super Void> emitter, Context context) {
        Object tenant() {
            return batch.rows().getValue(0);
        }

        void answer(Throwable failure) {
            Runnable answer = () -> {
                if (failure == null) {
                    emitter.complete(null);
                } else {
                    emitter.fail(failure);
                }
            };
            if (context != null) {
                context.runOnContext(v -> answer.run());
            } else {
                answer.run();
            }
        }
    }

    /** Called holding the lock: the next batches to write together, if a writer is free; else null. */
    private List<Waiting> nextGroup() {
        if (running >= writers || waiting.isEmpty()) {
            return null;
        }
        running++;
        List<Waiting> group = new ArrayList<>();
        Object tenant = waiting.peek().tenant();
        while (!waiting.isEmpty() && group.size() < perWrite && waiting.peek().tenant().equals(tenant)) {
            group.add(waiting.poll());
        }
        return group;
    }

    private void write(List<Waiting> group) {
        batchesPerStatement.record(group.size());
        WriteBatch merged = group.size() == 1 ? group.get(0).batch()
                : WriteBatch.merge(group.stream().map(Waiting::batch).toList());
        repository.write(merged).subscribe().with(ok -> {
            group.forEach(w -> w.answer(null));
            release();
        }, failure -> {
            if (group.size() > 1 && failure instanceof StorageException se && !se.retryable()) {
                for (Waiting w : group) {
                    repository.write(w.batch()).subscribe().with(ok -> w.answer(null), w::answer);
                }
            } else {
                group.forEach(w -> w.answer(failure));
            }
            release();
        });
    }

    /** A statement finished: the writer takes the batches that waited meanwhile, if any. */
    private void release() {
        List<Waiting> next;
        synchronized (waiting) {
            running--;
            next = nextGroup();
        }
        if (next != null) {
            write(next);
        }
    }
}
