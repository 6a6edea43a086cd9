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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds the queued calls to the writer-maintained rollups in two stages, each one statement per drain that deletes up
 * to a batch of queued rows and adds exactly those rows, in one transaction, so a call is counted once in each rollup
 * whatever fails in between:
 * <ul>
 * <li>the model stage (every second) deletes calls from {@code llm_call_rollup_queue} (V10, appended by
 * {@link TraceRepository}), upserts the six per-model rollups and appends the calls to
 * {@code llm_call_user_rollup_queue} (V12);</li>
 * <li>the user stage (every 30 seconds) deletes calls from that queue and upserts the two per-user rollups: over
 * half a minute a user's calls add up to one row per rollup, where a second's drain wrote about one row per call.</li>
 * </ul>
 * Each stage runs one drain at a time across all enrich replicas (a transaction-scoped advisory lock per stage; a
 * replica that does not get it skips its turn). The same on both storage layouts.
 */
@ApplicationScoped
public class RollupDrainer {
    private static final Logger LOG = Logger.getLogger(RollupDrainer.class);
    /** The model stage's lock; also taken by the SQL function rebuild_query_rollups (V10-V12). */
    static final long LOCK = 7310303948411043189L;
    /** The user stage's lock; also taken by rebuild_query_rollups (V12), after {@link #LOCK}. */
    static final long USER_LOCK = 7310303948411043190L;

    /**
     * $1 the batch. The ctids are read before the delete, so the batch is bounded; rows appended meanwhile are left
     * for the next drain. A drain of fewer than $1 rows took every row its snapshot saw, so it leaves no backlog;
     * after a full batch the main query's subquery counts the queue as it was before the delete (one snapshot for the
     * whole statement), less the drained rows. (Counting after every drain read the whole queue, dead rows included,
     * once a second.)
     */
    static final String DRAIN = drain("llm_call_rollup_queue", TraceRepository.ROLLUP_INPUT,
            RollupSql.models("drained") + ", staged AS (INSERT INTO llm_call_user_rollup_queue (enqueued_at, "
                    + RollupSql.USER_INPUT + ") SELECT enqueued_at, " + RollupSql.USER_INPUT + " FROM drained)");
    /**
     * The user stage: $1 the batch, as {@link #DRAIN}. A staged row keeps the time its call was first queued, so this
     * stage's lag is how long ago the call was stored.
     */
    static final String DRAIN_USERS = drain("llm_call_user_rollup_queue", RollupSql.USER_INPUT,
            RollupSql.users("drained"));

    /**
     * A drain of {@code queue}: deletes up to $1 of its rows (with {@code columns}, as the CTE {@code drained}),
     * runs {@code upserts} (CTEs over {@code drained}), and reports the drained count, lag and backlog.
     */
    static String drain(String queue, String columns, String upserts) {
        return "WITH drained AS (DELETE FROM " + queue + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + queue
                + " LIMIT $1)) RETURNING enqueued_at, " + columns + "), " + upserts
                + " SELECT count(*) AS drained, coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::float8 AS lag,"
                + " CASE WHEN count(*) < $1 THEN 0 ELSE (SELECT count(*) FROM " + queue + ") - count(*) END AS backlog"
                + " FROM drained";
    }

    /** What one drain did: calls added, seconds the oldest of them had waited, calls still queued. */
    public record Drain(long drained, double lagSeconds, long backlog) {
        static final Drain SKIPPED = new Drain(0, 0, -1);
    }

    /** One stage: its statement, lock, batch, and what it reports. */
    private final class Stage {
        final String sql;
        final long lock;
        final int batch;
        final AtomicBoolean running = new AtomicBoolean();
        final AtomicLong backlog = new AtomicLong();
        final AtomicLong lagMillis = new AtomicLong();
        final Counter drained;
        final Counter failures;

        Stage(String name, String sql, long lock, int batch, MeterRegistry registry) {
            this.sql = sql;
            this.lock = lock;
            this.batch = batch;
            this.drained = Counter.builder("observatory.enrich.rollups.drained").tag("stage", name)
                    .description("LLM calls added from a rollup queue to the rollups of its stage").register(registry);
            this.failures = Counter.builder("observatory.enrich.rollups.drain.failures").tag("stage", name)
                    .description("Rollup drains that failed (the calls stay queued for the next one)")
                    .register(registry);
            Gauge.builder("observatory.enrich.rollups.queue.backlog", backlog, AtomicLong::get).tag("stage", name)
                    .description("LLM calls left in the stage's rollup queue after its last drain").register(registry);
            Gauge.builder("observatory.enrich.rollups.queue.lag", lagMillis, v -> v.get() / 1000.0).tag("stage", name)
                    .baseUnit("seconds")
                    .description("How long ago the oldest call of the stage's last drain was stored")
                    .register(registry);
        }

        /** One scheduled turn: drains while batches come back full, unless the previous turn is still running. */
        void tick() {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            drainWhileFull(false).subscribe().with(d -> running.set(false), failure -> {
                running.set(false);
                failures.increment();
                LOG.warnf("rollup drain failed (the calls stay queued): %s", failure.getMessage());
            });
        }

        Uni<Drain> drainWhileFull(boolean wait) {
            return drainOnce(wait).chain(d -> d.drained() >= batch ? drainWhileFull(wait) : Uni.createFrom().item(d));
        }

        /**
         * One transaction: the lock (or skip), the statement timeout and the memory the aggregation may use before
         * it spills (a user-stage drain groups hundreds of thousands of calls), then one drain statement.
         */
        Uni<Drain> drainOnce(boolean wait) {
            String settings = "set_config('statement_timeout', $2, true), set_config('work_mem', '64MB', true)";
            String lockSql = wait ? "SELECT true AS locked, " + settings + " FROM pg_advisory_xact_lock($1)"
                    : "SELECT pg_try_advisory_xact_lock($1) AS locked, " + settings;
            Tuple args = Tuple.of(lock, Long.toString(config.rollupDrainTimeout().toMillis()));
            return pool.withTransaction(conn -> conn.preparedQuery(lockSql).execute(args).chain(rows -> {
                if (!wait && !rows.iterator().next().getBoolean("locked")) {
                    return Uni.createFrom().item(Drain.SKIPPED);
                }
                return conn.preparedQuery(sql).execute(Tuple.of(batch)).map(result -> {
                    Row r = result.iterator().next();
                    return new Drain(r.getLong("drained"), r.getDouble("lag"), r.getLong("backlog"));
                });
            })).invoke(this::record);
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

    private final Pool pool;
    private final Vertx vertx;
    private final EnrichConfig.Storage config;
    private final Stage models;
    private final Stage users;
    private final List<Long> timers = new ArrayList<>();

    public RollupDrainer(Pool pool, Vertx vertx, EnrichConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config.storage();
        this.models = new Stage("model", DRAIN, LOCK, this.config.rollupDrainBatch(), registry);
        this.users = new Stage("user", DRAIN_USERS, USER_LOCK, this.config.userRollupDrainBatch(), registry);
    }

    void onStart(@Observes StartupEvent event) {
        timers.add(vertx.setPeriodic(config.rollupDrainInterval().toMillis(), id -> models.tick()));
        timers.add(vertx.setPeriodic(config.userRollupDrainInterval().toMillis(), id -> users.tick()));
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
    }

    /**
     * Drains both stages until their queues are empty as of their last drain (the model stage first, as it feeds
     * the user stage), waiting for a stage's lock if another drain (of any replica) holds it: after this completes,
     * every call committed before it was called is in every rollup. For tests, benchmarks and repairs; the scheduled
     * drains skip instead of waiting. Returns the user stage's last drain.
     */
    public Uni<Drain> drainAll() {
        return models.drainWhileFull(true).chain(() -> users.drainWhileFull(true));
    }

    /** Drains the model stage only (as {@link #drainAll()} does first): the calls wait in the user stage. */
    public Uni<Drain> drainModelStage() {
        return models.drainWhileFull(true);
    }

    /** One drain of the model stage, waiting for its lock or skipping when another drain holds it. */
    Uni<Drain> drainOnce(boolean wait) {
        return models.drainOnce(wait);
    }

    /** One drain of the user stage, waiting for its lock or skipping when another drain holds it. */
    Uni<Drain> drainUsersOnce(boolean wait) {
        return users.drainOnce(wait);
    }
}
