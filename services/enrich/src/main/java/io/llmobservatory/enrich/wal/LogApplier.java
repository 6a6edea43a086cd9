package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.enrich.storage.WriteBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Writes the batches of a {@link WriteAheadLog} to the database, from its checkpoint on: one thread reads the log and
 * starts up to {@code writers} writes at once, each of up to {@code perWrite} consecutive batches of one tenant merged
 * into one statement ({@link WriteBatch#merge}) when the log holds more than one a writer. A write that fails
 * retryably is tried again with backoff (up to 30 s apart) until it succeeds, a merged one batch by batch after 3
 * failures (so a batch that always fails holds up no other); a batch the database refuses as invalid
 * ({@link StorageException} not retryable), or a record that is not a batch, is kept in {@code rejected/<offset>.batch}
 * beside the log, fsynced, and counted. The log is checkpointed every second below the oldest batch not yet written,
 * so a restart writes again at most what was in flight or not yet read: the write must be idempotent.
 */
final class LogApplier implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogApplier.class);
    private static final long MAX_RETRY_MILLIS = 30_000;
    /** Failed attempts after which a merged write's batches are retried one by one (one of them may be the cause). */
    private static final int SPLIT_AFTER = 3;

    private final WriteAheadLog log;
    private final Function<WriteBatch, Uni<Void>> write;
    private final int writers;
    private final int perWrite;
    private final Path rejectedDir;
    private final Counter applied;
    private final Counter applyFailures;
    private final Counter rejected;
    private final DistributionSummary batchesPerWrite;
    private final Thread thread;
    private final ScheduledExecutorService retries;
    /** Batches read from the log and not yet behind the watermark: offset to the next record's offset. */
    private final TreeMap<Long, Long> inFlight = new TreeMap<>();
    /** Offsets of batches in flight that are written but wait for an older one to be. */
    private final Set<Long> written = new HashSet<>();
    private volatile boolean running = true;
    /** Writes started by the loop and not yet finished (retries included); guarded by {@link #inFlight}. */
    private int writesInFlight;
    /** Everything before this offset is written. */
    private volatile long watermark;

    LogApplier(WriteAheadLog log, Function<WriteBatch, Uni<Void>> write, int writers, int perWrite, Path rejectedDir,
               MeterRegistry registry) {
        this.log = log;
        this.write = write;
        this.writers = writers;
        this.perWrite = perWrite;
        this.rejectedDir = rejectedDir;
        this.watermark = log.checkpointed();
        this.applied = Counter.builder("observatory.enrich.wal.applied.batches")
                .description("Batches from the write-ahead log committed to PostgreSQL (replays included)")
                .register(registry);
        this.applyFailures = Counter.builder("observatory.enrich.wal.apply.failures")
                .description("Writes of a logged batch to PostgreSQL that failed and will be retried")
                .register(registry);
        this.rejected = Counter.builder("observatory.enrich.wal.rejected.batches")
                .description("Logged batches PostgreSQL refused as invalid, moved to rejected/ beside the log")
                .register(registry);
        this.batchesPerWrite = DistributionSummary.builder("observatory.enrich.wal.write.batches")
                .description("Logged batches written by one statement (more than one: merged from a backlog)")
                .register(registry);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wal-retry");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::applyLoop, "wal-applier");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Everything before this offset is written to the database. */
    long watermark() {
        return watermark;
    }

    /** Stops reading and retrying and checkpoints what is written; what is not is written again after a restart. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retries.shutdownNow();
        checkpoint();
    }

    private void applyLoop() {
        long next = watermark;
        long lastCheckpoint = System.nanoTime();
        while (running) {
            try {
                if (System.nanoTime() - lastCheckpoint > TimeUnit.SECONDS.toNanos(1)) {
                    checkpoint();
                    lastCheckpoint = System.nanoTime();
                }
                int room;
                synchronized (inFlight) {
                    room = writers - writesInFlight;
                    if (room <= 0) {
                        inFlight.wait(200);
                        continue;
                    }
                }
                List<WriteAheadLog.Record> records = log.read(next, room * perWrite);
                if (records.isEmpty()) {
                    log.awaitEnd(next, 200);
                    continue;
                }
                List<Logged> decoded = new ArrayList<>();
                for (WriteAheadLog.Record r : records) {
                    synchronized (inFlight) {
                        inFlight.put(r.offset(), r.next());
                    }
                    next = r.next();
                    try {
                        WriteBatch batch = WriteBatch.decode(r.payload());
                        if (batch.isEmpty()) {
                            done(r.offset());
                        } else {
                            decoded.add(new Logged(r, batch));
                        }
                    } catch (IllegalArgumentException e) {
                        reject(r, e);
                    }
                }
                for (List<Logged> write : writes(decoded, room)) {
                    synchronized (inFlight) {
                        writesInFlight++;
                    }
                    apply(write, 0, true);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "write-ahead log: reading at %d failed; trying again in 1 s", next);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** A record of the log and the batch it holds. */
    private record Logged(WriteAheadLog.Record record, WriteBatch batch) {
        String tenant() {
            return (String) batch.rows().getValue(0);
        }
    }

    /**
     * The batches read, split over the free writers: consecutive batches of one tenant merged, at most
     * {@code perWrite} to a write. A backlog is written in fewer, larger statements; a short log one batch a write.
     */
    private List<List<Logged>> writes(List<Logged> batches, int writers) {
        int size = Math.min(perWrite, Math.max(1, (batches.size() + writers - 1) / writers));
        List<List<Logged>> writes = new ArrayList<>();
        List<Logged> current = new ArrayList<>();
        for (Logged b : batches) {
            if (!current.isEmpty() && (current.size() == size || !current.get(0).tenant().equals(b.tenant()))) {
                writes.add(current);
                current = new ArrayList<>();
            }
            current.add(b);
        }
        if (!current.isEmpty()) {
            writes.add(current);
        }
        return writes;
    }

    /**
     * Writes the batches merged, retrying until the database commits them or refuses them as invalid. {@code counted}:
     * one of the loop's writes (its writer is freed when this finishes); not so for a batch written alone after its
     * merged write was refused.
     */
    private void apply(List<Logged> batches, int attempt, boolean counted) {
        batchesPerWrite.record(batches.size());
        Uni<Void> writing;
        try {
            writing = write.apply(WriteBatch.merge(batches.stream().map(Logged::batch).toList()));
        } catch (RuntimeException e) {
            // Not a batch this code can write (a bug, or bytes it did not write): a refusal, never retried as is.
            writing = Uni.createFrom().failure(new StorageException("the batch cannot be written: " + e, false, e));
        }
        writing.subscribe().with(ok -> {
            applied.increment(batches.size());
            batches.forEach(b -> done(b.record().offset()));
            if (counted) {
                finished();
            }
        }, failure -> {
            boolean refused = failure instanceof StorageException se && !se.retryable();
            if (batches.size() > 1 && (refused || attempt + 1 >= SPLIT_AFTER)) {
                // One of them may be what fails: write each alone, so it alone is set aside or retried.
                batches.forEach(b -> apply(List.of(b), refused ? 0 : attempt + 1, false));
                if (counted) {
                    finished();
                }
                return;
            }
            if (refused) {
                retries.execute(() -> reject(batches.get(0).record(), (Exception) failure));
                if (counted) {
                    finished();
                }
                return;
            }
            applyFailures.increment();
            long delay = Math.min(MAX_RETRY_MILLIS, 250L << Math.min(attempt, 7));
            LOG.warnf("write-ahead log: %d batch(es) from %d not written (%s); retrying in %d ms", batches.size(),
                    batches.get(0).record().offset(), failure.getMessage(), delay);
            if (running) {
                retries.schedule(() -> apply(batches, attempt + 1, counted), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** A write of the loop's finished: its writer is free. */
    private void finished() {
        synchronized (inFlight) {
            writesInFlight--;
            inFlight.notifyAll();
        }
    }

    /**
     * Keeps a refused batch in {@code rejected/<offset>.batch} (fsynced) and counts it; only then is it behind the
     * watermark. If it cannot be kept, it stays in the log and keeping it is tried again in 30 s.
     */
    private void reject(WriteAheadLog.Record record, Exception why) {
        Path file = rejectedDir.resolve(record.offset() + ".batch");
        try {
            Files.createDirectories(rejectedDir);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer payload = ByteBuffer.wrap(record.payload());
                while (payload.hasRemaining()) {
                    ch.write(payload);
                }
                ch.force(true);
            }
        } catch (IOException e) {
            LOG.errorf(e, "write-ahead log: the batch at %d was refused (%s) and could not be kept in %s; it stays in"
                    + " the log, trying again in 30 s", record.offset(), why.getMessage(), file);
            if (running) {
                retries.schedule(() -> reject(record, why), MAX_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        rejected.increment();
        LOG.errorf("write-ahead log: the batch at %d was refused (%s); kept in %s", record.offset(), why.getMessage(),
                file);
        done(record.offset());
    }

    /** Marks a batch done and moves the watermark past every done batch before the oldest one still open. */
    private void done(long offset) {
        synchronized (inFlight) {
            written.add(offset);
            while (!inFlight.isEmpty() && written.remove(inFlight.firstKey())) {
                watermark = inFlight.pollFirstEntry().getValue();
            }
            inFlight.notifyAll();
        }
    }

    private void checkpoint() {
        try {
            log.checkpoint(watermark);
        } catch (IOException e) {
            LOG.warnf("write-ahead log: checkpoint at %d not written (%s); it is written again later", watermark,
                    e.getMessage());
        }
    }
}
