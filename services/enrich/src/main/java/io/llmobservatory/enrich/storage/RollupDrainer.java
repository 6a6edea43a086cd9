package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds the queued calls (V10 {@code llm_call_rollup_queue}, appended by {@link TraceRepository}) to the
 * writer-maintained rollups: one statement deletes up to a batch of queued rows and upserts the six rollups from
 * exactly the rows it deleted, in one transaction, so a call is counted once whatever fails in between. Drains run
 * one at a time across all enrich replicas (a transaction-scoped advisory lock; a replica that does not get it skips
 * its turn). Plain PostgreSQL only: with TimescaleDB the continuous aggregates follow the calls.
 */
@ApplicationScoped
public class RollupDrainer {
    private static final Logger LOG = Logger.getLogger(RollupDrainer.class);
    /** Also taken by the SQL function rebuild_query_rollups (V10). */
    static final long LOCK = 7310303948411043189L;

    /**
     * $1 the batch. The ctids are read before the delete, so the batch is bounded; rows appended meanwhile are left
     * for the next drain. The main query's subquery sees the queue as it was before the delete (one snapshot for the
     * whole statement), so the backlog is that count less the drained rows.
     */
    static final String DRAIN = "WITH drained AS (DELETE FROM llm_call_rollup_queue"
            + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM llm_call_rollup_queue LIMIT $1))"
            + " RETURNING enqueued_at, " + TraceRepository.ROLLUP_INPUT + "), "
            + RollupSql.all("drained")
            + " SELECT count(*) AS drained, coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::float8 AS lag,"
            + " (SELECT count(*) FROM llm_call_rollup_queue) - count(*) AS backlog FROM drained";

    /** What one drain did: calls added, seconds the oldest of them had waited, calls still queued. */
    public record Drain(long drained, double lagSeconds, long backlog) {
        static final Drain SKIPPED = new Drain(0, 0, -1);
    }

    private final Pool pool;
    private final Vertx vertx;
    private final EnrichConfig.Storage config;
    private final boolean enabled;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Counter drained;
    private final Counter failures;
    private long timer = -1;

    public RollupDrainer(Pool pool, Vertx vertx, EnrichConfig config, StorageLayout layout, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.storage();
        this.enabled = layout.writerMaintainsRollups();
        this.drained = Counter.builder("observatory.enrich.rollups.drained")
                .description("LLM calls added from the rollup queue to the rollups").register(registry);
        this.failures = Counter.builder("observatory.enrich.rollups.drain.failures")
                .description("Rollup drains that failed (the calls stay queued for the next one)").register(registry);
        Gauge.builder("observatory.enrich.rollups.queue.backlog", backlog, AtomicLong::get)
                .description("LLM calls left in the rollup queue after the last drain").register(registry);
        Gauge.builder("observatory.enrich.rollups.queue.lag", lagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("How long the oldest call of the last drain had waited in the rollup queue")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            timer = vertx.setPeriodic(config.rollupDrainInterval().toMillis(), id -> tick());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One scheduled turn: drains while batches come back full, unless the previous turn is still running. */
    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        drainWhileFull(false).subscribe().with(d -> running.set(false), failure -> {
            running.set(false);
            failures.increment();
            LOG.warnf("rollup drain failed (the calls stay queued): %s", failure.getMessage());
        });
    }

    /**
     * Drains until the queue is empty as of the last drain, waiting for the lock if another drain (of any replica)
     * holds it: after this completes, every call committed before it was called is in the rollups. For tests,
     * benchmarks and repairs; the scheduled drains skip instead of waiting.
     */
    public Uni<Drain> drainAll() {
        if (!enabled) {
            return Uni.createFrom().item(new Drain(0, 0, 0));
        }
        return drainWhileFull(true);
    }

    private Uni<Drain> drainWhileFull(boolean wait) {
        return drainOnce(wait).chain(d -> d.drained() >= config.rollupDrainBatch() ? drainWhileFull(wait)
                : Uni.createFrom().item(d));
    }

    /** One transaction: the lock (or skip) and the statement timeout, then one drain statement. */
    Uni<Drain> drainOnce(boolean wait) {
        String lock = wait ? "SELECT true AS locked, set_config('statement_timeout', $2, true) FROM pg_advisory_xact_lock($1)"
                : "SELECT pg_try_advisory_xact_lock($1) AS locked, set_config('statement_timeout', $2, true)";
        Tuple args = Tuple.of(LOCK, Long.toString(config.rollupDrainTimeout().toMillis()));
        return pool.withTransaction(conn -> conn.preparedQuery(lock).execute(args).chain(rows -> {
            if (!wait && !rows.iterator().next().getBoolean("locked")) {
                return Uni.createFrom().item(Drain.SKIPPED);
            }
            return drain(conn);
        })).invoke(this::record);
    }

    private Uni<Drain> drain(SqlConnection conn) {
        return conn.preparedQuery(DRAIN).execute(Tuple.of(config.rollupDrainBatch())).map(rows -> {
            Row r = rows.iterator().next();
            return new Drain(r.getLong("drained"), r.getDouble("lag"), r.getLong("backlog"));
        });
    }

    private void record(Drain d) {
        if (d == Drain.SKIPPED) {
            return;
        }
        drained.increment(d.drained());
        backlog.set(d.backlog());
        lagMillis.set(Math.round(d.lagSeconds() * 1000));
    }
}
