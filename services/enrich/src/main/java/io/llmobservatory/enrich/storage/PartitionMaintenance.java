package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.config.EnrichConfig;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the time-series tables in shape, on start and every {@code observatory.enrich.retention.interval}:
 * with native partitioning it creates the daily partitions ahead (moving any rows that already landed in the
 * default partition into the new one) and drops partitions past retention; with TimescaleDB it keeps the hypertables'
 * retention policies equal to the configuration (TimescaleDB's jobs drop the chunks). Rollups, tables on both
 * layouts, are trimmed to their own retention, and idempotency keys to the longest raw retention once no chunk or
 * partition can hold a row of their time. Only one replica works at a time (advisory lock).
 */
@ApplicationScoped
public class PartitionMaintenance {
    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final long LOCK = 0x0b5e7a70_72795L;

    /** A partitioned table and its time column; the retention that applies to it. */
    record Table(String name, String timeColumn, boolean llmCalls) {
    }

    static final List<Table> TABLES = List.of(new Table("llm_calls", "time", true), new Table("spans", "start_time", false),
            new Table("metric_points", "time", false), new Table("logs", "time", false));
    /** The rollups, kept for the rollup retention. */
    static final List<String> ROLLUPS = List.of("llm_calls_1h", "llm_calls_model_1h",
            "llm_calls_model_1d", "llm_calls_latency_1h", "llm_calls_latency_1d", "llm_calls_user_1d",
            "llm_calls_model_1m", "llm_calls_latency_1m");
    static final String RETENTION_POLICY_CURRENT = """
            SELECT coalesce((SELECT (config ->> 'drop_after')::interval = make_interval(secs => $2)
                             FROM timescaledb_information.jobs
                             WHERE proc_name = 'policy_retention' AND hypertable_name = $1 LIMIT 1), false) AS current
            """;
    static final String RETENTION_POLICY_REMOVE = "SELECT remove_retention_policy($1::regclass, if_exists => true)";
    static final String RETENTION_POLICY_ADD =
            "SELECT add_retention_policy($1::regclass, drop_after => make_interval(secs => $2))";
    static final int KEYS_PER_DELETE = 10_000;
    /**
     * The start of the oldest chunk (TimescaleDB) or daily partition (native) of spans and llm_calls: no stored row
     * is older, except native default-partition rows, which are deleted once older than their table's retention.
     */
    static final String OLDEST_CHUNK = """
            SELECT min(range_start) FROM timescaledb_information.chunks
            WHERE hypertable_schema = current_schema() AND hypertable_name IN ('spans', 'llm_calls')""";
    static final String OLDEST_PARTITION = """
            SELECT min(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)''\\)')::timestamptz)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent IN ('spans'::regclass, 'llm_calls'::regclass)""";

    /**
     * $1 the longest retention's cutoff, $2 the batch. A key goes once it is older than that cutoff and than every
     * chunk or partition that could hold a row of its time: the tables have no unique key of their own (V18), so a key
     * must outlive its rows. The bound is read in the delete's own snapshot, so a chunk created meanwhile for an old
     * time is either seen here or its key is not.
     */
    static String trimKeysSql(String table, String oldest) {
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
                + " WHERE time < least($1, (" + oldest + ")) LIMIT $2))";
    }

    /** The idempotency key tables (V19): a key per trace, and a key per span of the traces that overflowed theirs. */
    static final List<String> KEY_TABLES = List.of("trace_keys", "span_key_overflow");

    static final String PARTITIONS = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 AND c.relname <> $1 || '_default'
            """;

    private final Pool pool;
    private final boolean timescale;
    private final boolean nativePartitions;
    private final EnrichConfig.Retention retention;
    private final List<String> trimKeysSql;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();

    public PartitionMaintenance(Pool pool, StorageLayout layout, EnrichConfig config, Vertx vertx) {
        this.pool = pool;
        // read here, on the thread creating the bean: detecting the layout blocks
        this.timescale = layout.timescale();
        this.nativePartitions = layout.nativePartitions();
        this.retention = config.retention();
        this.trimKeysSql = KEY_TABLES.stream().map(t -> trimKeysSql(t, timescale ? OLDEST_CHUNK : OLDEST_PARTITION))
                .toList();
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        run().await().atMost(Duration.ofMinutes(2));
        vertx.setPeriodic(retention.interval().toMillis(), id -> run().subscribe().with(
                done -> { }, failure -> LOG.warnf("partition maintenance failed: %s", failure.getMessage())));
    }

    /** One maintenance pass (skipped when another replica holds the lock). */
    public Uni<Void> run() {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked")
                .execute(Tuple.of(LOCK)).chain(rows -> {
                    if (!rows.iterator().next().getBoolean("locked")) {
                        return Uni.createFrom().voidItem();
                    }
                    return work(conn).eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)")
                            .execute(Tuple.of(LOCK)));
                }));
    }

    private Uni<Void> work(SqlConnection conn) {
        Instant now = clock.instant();
        if (!timescale && !nativePartitions) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> steps = new ArrayList<>();
        if (timescale) {
            for (Table t : TABLES) {
                steps.add(Uni.createFrom().deferred(() -> retentionPolicy(conn, t, cutoff(t))));
            }
        } else {
            addPartitionSteps(conn, now, steps);
        }
        OffsetDateTime keysCutoff = now.minus(retention.raw().compareTo(retention.llmCalls()) > 0 ? retention.raw()
                : retention.llmCalls()).atOffset(ZoneOffset.UTC);
        for (String trim : trimKeysSql) {
            steps.add(Uni.createFrom().deferred(() -> trimKeys(conn, trim, keysCutoff)));
        }
        for (String rollup : ROLLUPS) {
            steps.add(Uni.createFrom().deferred(() -> conn.preparedQuery("DELETE FROM " + rollup + " WHERE bucket < $1")
                    .execute(Tuple.of(now.minus(kept(rollup)).atOffset(ZoneOffset.UTC))).replaceWithVoid()));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            chain = chain.chain(() -> step);
        }
        return chain;
    }

    /**
     * TimescaleDB drops a hypertable's old chunks itself, in a retention policy job: the policy is (re)defined
     * whenever the configured retention differs from it, so it follows the configuration.
     */
    Uni<Void> retentionPolicy(SqlConnection conn, Table t, Duration keep) {
        Tuple args = Tuple.of(t.name(), (double) keep.toSeconds());
        return conn.preparedQuery(RETENTION_POLICY_CURRENT).execute(args).chain(rows -> {
            if (rows.iterator().next().getBoolean("current")) {
                return Uni.createFrom().voidItem();
            }
            return conn.preparedQuery(RETENTION_POLICY_REMOVE).execute(Tuple.of(t.name()))
                    .chain(() -> conn.preparedQuery(RETENTION_POLICY_ADD).execute(args))
                    .invoke(() -> LOG.infof("retention policy of %s: drop chunks older than %s", t.name(), keep))
                    .replaceWithVoid();
        });
    }

    private void addPartitionSteps(SqlConnection conn, Instant now, List<Uni<Void>> steps) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        for (Table t : TABLES) {
            for (int d = -1; d <= retention.partitionsAhead(); d++) {
                LocalDate day = today.plusDays(d);
                steps.add(Uni.createFrom().deferred(() -> ensurePartition(conn, t, day)));
            }
            steps.add(Uni.createFrom().deferred(() -> dropOld(conn, t, now.minus(cutoff(t)))));
        }
    }

    /**
     * Creates the day's partition unless it exists. Rows of that day already in the default partition (sent before
     * the partition existed) are moved into it in the same transaction, so attaching it never fails.
     */
    Uni<Void> ensurePartition(SqlConnection conn, Table t, LocalDate day) {
        String name = t.name() + "_p" + DAY.format(day);
        String from = "'" + day + " 00:00:00+00'";
        String to = "'" + day.plusDays(1) + " 00:00:00+00'";
        return conn.preparedQuery("SELECT to_regclass($1) IS NOT NULL AS present").execute(Tuple.of(name)).chain(rows -> {
            if (rows.iterator().next().getBoolean("present")) {
                return Uni.createFrom().voidItem();
            }
            String range = t.timeColumn() + " >= " + from + " AND " + t.timeColumn() + " < " + to;
            return conn.begin().chain(tx -> conn.query("CREATE TABLE " + name + " (LIKE " + t.name()
                                    + " INCLUDING DEFAULTS INCLUDING COMPRESSION)").execute()
                            .chain(() -> conn.query("INSERT INTO " + name + " SELECT * FROM " + t.name() + "_default WHERE "
                                    + range).execute())
                            .chain(() -> conn.query("DELETE FROM " + t.name() + "_default WHERE " + range).execute())
                            .chain(() -> conn.query("ALTER TABLE " + t.name() + " ATTACH PARTITION " + name
                                    + " FOR VALUES FROM (" + from + ") TO (" + to + ")").execute())
                            .chain(tx::commit)
                            .onFailure().call(tx::rollback))
                    .invoke(() -> LOG.debugf("created partition %s", name));
        });
    }

    /** Drops daily partitions wholly older than the cutoff, and deletes older rows from the default partition. */
    Uni<Void> dropOld(SqlConnection conn, Table t, Instant cutoff) {
        return conn.preparedQuery(PARTITIONS).execute(Tuple.of(t.name())).chain(rows -> {
            List<String> old = new ArrayList<>();
            for (Row r : rows) {
                String name = r.getString("relname");
                String suffix = name.substring(name.lastIndexOf("_p") + 2);
                // partition D holds [D, D+1): droppable once D+1 is not after the cutoff
                if (suffix.matches("\\d{8}") && !LocalDate.parse(suffix, DAY).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                        .toInstant().isAfter(cutoff)) {
                    old.add(name);
                }
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String name : old) {
                chain = chain.chain(() -> conn.query("DROP TABLE " + name).execute().replaceWithVoid())
                        .invoke(() -> LOG.infof("dropped partition %s (retention)", name));
            }
            return chain.chain(() -> conn.preparedQuery("DELETE FROM " + t.name() + "_default WHERE " + t.timeColumn()
                    + " < $1").execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC))).replaceWithVoid());
        });
    }

    /**
     * Deletes idempotency keys ({@link #KEY_TABLES}, plain tables on both layouts) older than the longest raw
     * retention and than every stored row ({@link #trimKeysSql(String, String)}), a bounded batch per statement so no
     * one transaction holds a day's keys.
     */
    Uni<Void> trimKeys(SqlConnection conn, String trim, OffsetDateTime cutoff) {
        return conn.preparedQuery(trim).execute(Tuple.of(cutoff, KEYS_PER_DELETE)).chain(rows ->
                rows.rowCount() < KEYS_PER_DELETE ? Uni.createFrom().voidItem() : trimKeys(conn, trim, cutoff));
    }

    /** The per-minute rollups (V11, "_1m") are kept as long as the raw calls, whose edges they stand beside. */
    private Duration kept(String rollup) {
        return rollup.endsWith("_1m") ? retention.llmCalls() : retention.rollups();
    }

    private Duration cutoff(Table t) {
        return t.llmCalls() ? retention.llmCalls() : retention.raw();
    }
}
