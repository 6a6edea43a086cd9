package io.llmobservatory.enrich.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Collector's sending queue for one external store: bounded, retried with exponential backoff, never blocking
 * the PostgreSQL write. Exhausted or permanent failures are counted and logged, not silent. Metrics carry the
 * Collector's names: {@code otelcol_exporter_queue_size}, {@code _queue_capacity}, {@code _sent_<items>},
 * {@code _send_failed_<items>}, {@code _enqueue_failed_<items>}, with an {@code exporter} label.
 */
public final class ExportQueue<T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExportQueue.class);

    private final Sender<T> sender;
    private final int capacity;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final AtomicInteger size = new AtomicInteger();
    private final ScheduledExecutorService scheduler;
    private final Counter sent;
    private final Counter failed;
    private final Counter enqueueFailed;

    public ExportQueue(Sender<T> sender, String items, int capacity, int maxAttempts, Duration initialBackoff,
                       Duration maxBackoff, MeterRegistry registry) {
        this.sender = sender;
        this.capacity = capacity;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "export-" + sender.name());
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("otelcol.exporter.queue.size", size, AtomicInteger::get).tag("exporter", sender.name())
                .description("Batches waiting to be sent").register(registry);
        Gauge.builder("otelcol.exporter.queue.capacity", () -> capacity).tag("exporter", sender.name())
                .description("Batches the queue holds at most").register(registry);
        this.sent = Counter.builder("otelcol.exporter.sent." + items).tag("exporter", sender.name()).register(registry);
        this.failed = Counter.builder("otelcol.exporter.send.failed." + items).tag("exporter", sender.name())
                .register(registry);
        this.enqueueFailed = Counter.builder("otelcol.exporter.enqueue.failed." + items).tag("exporter", sender.name())
                .register(registry);
    }

    /** Queues a batch for sending; false (and counted) when the queue is full. */
    public boolean offer(String tenant, T batch) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            enqueueFailed.increment(sender.size(batch));
            LOG.warnf("%s export queue full (%d batches): %d items not exported", sender.name(), capacity,
                    sender.size(batch));
            return false;
        }
        scheduler.execute(() -> attempt(tenant, batch, 1));
        return true;
    }

    public int size() {
        return size.get();
    }

    private void attempt(String tenant, T batch, int attempt) {
        CompletableFuture<Void> result;
        try {
            result = sender.send(tenant, batch);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((ok, failure) -> {
            if (failure == null) {
                size.decrementAndGet();
                sent.increment(sender.size(batch));
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean retryable = !(cause instanceof SendException se) || se.retryable();
            if (retryable && attempt < maxAttempts) {
                long delay = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * (1L << Math.min(20, attempt - 1)));
                scheduler.schedule(() -> attempt(tenant, batch, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                size.decrementAndGet();
                failed.increment(sender.size(batch));
                LOG.errorf("%s export of %d items for tenant %s failed after %d attempt(s): %s", sender.name(),
                        sender.size(batch), tenant, attempt, cause.getMessage());
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
