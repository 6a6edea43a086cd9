package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.enrich.RollupSnapshots;
import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The time-series layout: rollups equal the raw facts exactly (also under retried batches); native partitions are
 * created ahead, take over rows that arrived early, and are dropped past retention; hypertables are compressed and
 * expired by TimescaleDB's own policy jobs. Runs on whichever layout the database has: {@code mvn verify} runs it on
 * plain PostgreSQL and again on TimescaleDB (the testkit's OBSERVATORY_PG_LAYOUT).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TimeSeriesLayoutTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ROLLUP_TOTALS = "SELECT sum(requests), sum(input_tokens), sum(cost_usd), sum(unpriced)";

    @Inject
    TracesConsumer pipeline;
    @Inject
    StorageLayout layout;
    @Inject
    PartitionMaintenance maintenance;
    @Inject
    RollupDrainer drainer;
    @Inject
    Pool pool;
    @Inject
    EnrichConfig config;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void rollupsEqualTheRawFactsExactlyEvenWhenBatchesAreRetried() {
        String tenant = "r-" + UUID.randomUUID().toString().substring(0, 8);
        List<Span> spans = new ArrayList<>();
        String[] models = {"gpt-4o", "gpt-4o-mini", "unknown-model"};
        for (int i = 0; i < 30; i++) {
            spans.add(llmSpan(UUID.randomUUID().toString().replace("-", ""), String.format("%016x", i + 1), models[i % 3])
                    .toBuilder()
                    .setStartTimeUnixNano(1_795_773_600_000_000_000L + i * 20_000_000_000L) // every 20 s over 10 min
                    .addAttributes(str("user.id", "user-" + (i % 4))).build());
        }
        // Half first, then everything (a retry overlapping the first batch): the second batch merges into the
        // rollup rows the first created and counts only its new calls; a third, full retry adds nothing.
        pipeline.consume(tenant, batch(spans.subList(0, 15).toArray(Span[]::new))).await().atMost(WAIT);
        pipeline.consume(tenant, batch(spans.toArray(Span[]::new))).await().atMost(WAIT);
        pipeline.consume(tenant, batch(spans.toArray(Span[]::new))).await().atMost(WAIT);
        assertThat(RollupSnapshots.queued(pg, RollupSnapshots.MODEL_QUEUE, tenant))
                .as("each call queued once for the rollups").isEqualTo("30");
        drainer.drainAll().await().atMost(WAIT);

        String raw = pg.psql("SELECT count(*), sum(input_tokens), sum(cost_usd), count(*) FILTER (WHERE cost_usd IS NULL) "
                + "FROM llm_calls WHERE tenant = '" + tenant + "'");
        // gpt-4o 10 x 7500 + gpt-4o-mini 10 x 450 micro-USD; the unknown model is unpriced
        assertThat(raw).isEqualTo("30|30000|0.079500000000|10");
        assertThat(pg.psql(ROLLUP_TOTALS + " FROM llm_calls_1h WHERE tenant = '" + tenant + "'")).isEqualTo(raw);
        assertThat(pg.psql(ROLLUP_TOTALS + " FROM llm_calls_model_1h WHERE tenant = '" + tenant + "'")).isEqualTo(raw);
        assertThat(pg.psql("SELECT string_agg(model || '=' || requests || '/' || errors || '/' || provided_cost_requests, ',' "
                + "ORDER BY model) FROM (SELECT model, sum(requests) AS requests, sum(errors) AS errors, "
                + "sum(provided_cost_requests) AS provided_cost_requests FROM llm_calls_model_1h WHERE tenant = '" + tenant
                + "' GROUP BY model) m")).isEqualTo(pg.psql("SELECT string_agg(model || '=' || n || '/' || e || '/' || p, ',' "
                + "ORDER BY model) FROM (SELECT model, count(*) AS n, count(*) FILTER (WHERE status_code = 2) AS e, "
                + "count(*) FILTER (WHERE cost_source = 'provided') AS p FROM llm_calls WHERE tenant = '" + tenant
                + "' GROUP BY model) c"));
        assertThat(pg.psql(ROLLUP_TOTALS + " FROM llm_calls_model_1d WHERE tenant = '" + tenant + "'")).isEqualTo(raw);
        assertThat(pg.psql(ROLLUP_TOTALS + " FROM llm_calls_model_1m WHERE tenant = '" + tenant + "'")).isEqualTo(raw);
        assertThat(pg.psql("SELECT sum(requests), sum(input_tokens), sum(cost_usd) FROM llm_calls_user_1d WHERE tenant = '"
                + tenant + "'")).isEqualTo("30|30000|0.079500000000");
        assertThat(pg.psql("SELECT sum(c) FROM llm_calls_latency_1h, unnest(counts) c WHERE tenant = '" + tenant + "'"))
                .isEqualTo("30");
        assertThat(pg.psql("SELECT sum(c) FROM llm_calls_latency_1m, unnest(counts) c WHERE tenant = '" + tenant + "'"))
                .isEqualTo("30");
        assertThat(pg.psql("SELECT sum(c) FROM llm_calls_latency_1d, unnest(counts) c WHERE tenant = '" + tenant + "'"))
                .isEqualTo("30");
        // Every row of every rollup the writer maintained equals the rebuild from raw rows (the SQL definition).
        List<String> tables = RollupSnapshots.WRITER_ROLLUPS;
        List<String> written = tables.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList();
        pg.psql("SELECT rebuild_query_rollups('" + tenant + "')");
        assertThat(tables.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList()).isEqualTo(written);
        assertThat(written).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        assertThat(pg.psql("SELECT count(*) FROM llm_calls_1h WHERE tenant = '" + tenant + "'"))
                .as("buckets: hours x 3 models x 4 users, where they meet").isEqualTo(
                        pg.psql("SELECT count(DISTINCT (date_trunc('hour', time), model, user_id)) FROM llm_calls "
                                + "WHERE tenant = '" + tenant + "'"));
    }

    @Test
    void nativePartitionsAreCreatedAheadTakeOverEarlyRowsAndExpire() {
        assumeTrue(layout.nativePartitions(), "native partitioning only");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 0; d <= 3; d++) {
            assertThat(pg.psql("SELECT to_regclass('llm_calls_p" + day(today.plusDays(d)) + "') IS NOT NULL")).isEqualTo("t");
        }
        // V9: large values are compressed with lz4, in the partitions the migrations made and in those made since.
        for (String partition : List.of("spans_default", "spans_p" + day(today.plusDays(3)), "logs_p" + day(today))) {
            assertThat(pg.psql("SELECT string_agg(attname || '=' || attcompression::text, ',' ORDER BY attname) FROM pg_attribute"
                    + " WHERE attrelid = '" + partition + "'::regclass AND attname IN ('attributes', 'resource_attributes')"))
                    .as(partition).isEqualTo("attributes=l,resource_attributes=l");
        }

        // A call from 20 days ahead (a skewed clock) lands in the default partition ...
        String tenant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate future = today.plusDays(20);
        long nanos = future.atTime(12, 0).toInstant(ZoneOffset.UTC).getEpochSecond() * 1_000_000_000L;
        pipeline.consume(tenant, batch(llmSpan("77777777777777777777777777777777", "7777777777777777").toBuilder()
                .setStartTimeUnixNano(nanos).setEndTimeUnixNano(nanos + 1000).build())).await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(*) FROM llm_calls_default WHERE tenant = '" + tenant + "'")).isEqualTo("1");
        // ... and moves into that day's partition when it is created.
        pool.withConnection(conn -> maintenance.ensurePartition(conn, PartitionMaintenance.TABLES.get(0), future))
                .await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(*) FROM llm_calls_default WHERE tenant = '" + tenant + "'")).isEqualTo("0");
        assertThat(pg.psql("SELECT count(*) FROM llm_calls_p" + day(future) + " WHERE tenant = '" + tenant + "'"))
                .isEqualTo("1");

        // Past retention (calls, spans): old partitions are dropped, old default rows deleted.
        LocalDate old = today.minusDays(pastRetention());
        pool.withConnection(conn -> maintenance.ensurePartition(conn, PartitionMaintenance.TABLES.get(1), old)
                        .chain(() -> maintenance.ensurePartition(conn, PartitionMaintenance.TABLES.get(0), old)))
                .await().atMost(WAIT);
        pg.psql("INSERT INTO logs_default (tenant, log_id, time, time_unix_nano, observed_time_unix_nano, severity_number,"
                + " attributes, service_name, resource_attributes) VALUES ('" + tenant + "', '\\x01', now() - interval '"
                + (config.retention().raw().toDays() + 1) + " days', 1, 0, 9, '{}', 's', '{}')");
        maintenance.run().await().atMost(WAIT);
        assertThat(pg.psql("SELECT to_regclass('spans_p" + day(old) + "') IS NULL, to_regclass('llm_calls_p" + day(old)
                + "') IS NULL")).isEqualTo("t|t");
        assertThat(pg.psql("SELECT count(*) FROM logs WHERE tenant = '" + tenant + "'")).isEqualTo("0");
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    /**
     * spans and llm_calls have no unique key of their own (V18): a key must outlive its rows. A span and call past the
     * longest retention keep their key while a chunk or partition still holds them (on TimescaleDB until the retention
     * job drops the chunk, which maintenance does not do itself; natively maintenance deletes them first), so a
     * re-send stores nothing twice; once they are gone, so is the key. A key with no rows goes at the retention.
     */
    @Test
    void aKeyIsDeletedOnlyOnceNoChunkOrPartitionCanHoldItsRows() {
        String tenant = "k-" + UUID.randomUUID().toString().substring(0, 8);
        long longest = Math.max(config.retention().raw().toDays(), config.retention().llmCalls().toDays());
        long old = Instant.now().minus(Duration.ofDays(longest + 1)).getEpochSecond() * 1_000_000_000L;
        Span span = llmSpan("55555555555555555555555555555555", "5555555555555555").toBuilder()
                .setStartTimeUnixNano(old).setEndTimeUnixNano(old + 1_000_000).build();
        pipeline.consume(tenant, batch(span)).await().atMost(WAIT);
        bareKey(tenant, "02", "now() - interval '" + (longest - 1) + " days'", true);

        // Natively, the partition of the retention cutoff's day stays while part of it is newer than the cutoff: a key
        // from the start of that day, past the cutoff, stays with it.
        LocalDate cutoffDay = LocalDate.ofInstant(Instant.now().minus(Duration.ofDays(longest)), ZoneOffset.UTC);
        if (layout.nativePartitions()) {
            pool.withConnection(conn -> maintenance.ensurePartition(conn, PartitionMaintenance.TABLES.get(1), cutoffDay))
                    .await().atMost(WAIT);
            bareKey(tenant, "03", "'" + cutoffDay + " 00:00:00+00'", false);
        }

        maintenance.run().await().atMost(WAIT);
        if (layout.nativePartitions()) {
            assertThat(pg.psql("SELECT count(*) FROM trace_keys WHERE tenant = '" + tenant + "' AND trace_id = '\\x03'"))
                    .as("a key of a day whose partition is kept").isEqualTo("1");
            pg.psql("DELETE FROM trace_keys WHERE tenant = '" + tenant + "' AND trace_id = '\\x03'");
        }
        pipeline.consume(tenant, batch(span)).await().atMost(WAIT); // a re-send
        String rows = rowsWithoutKey(tenant);
        assertThat(rows).as("spans|calls of the tenant without a key (none), all rows").endsWith("0|0");
        assertThat(rows).as("stored once, or gone with its partition").isIn("1|1|0|0", "0|0|0|0");
        if (layout.timescale()) {
            // what the retention jobs do (the policies drop chunks older than the retention; they may also have run
            // in the background already)
            for (String table : List.of("spans", "llm_calls")) {
                pg.psql("SELECT count(*) FROM drop_chunks('" + table + "', older_than => now() - interval '" + longest
                        + " days')");
            }
        }
        maintenance.run().await().atMost(WAIT);
        assertThat(rowsWithoutKey(tenant)).isEqualTo("0|0|0|0");
        assertThat(pg.psql("SELECT string_agg(encode(trace_id, 'hex'), ',') FROM trace_keys WHERE tenant = '" + tenant
                + "'")).as("the old span's key went with its rows; the recent key stays").isEqualTo("02");
    }

    /**
     * A key with no rows behind it, as if a span (and, with {@code call}, its call) had been stored at {@code time} (an
     * SQL expression); {@code id} is both its trace and its span id, in hex.
     */
    private void bareKey(String tenant, String id, String time, boolean call) {
        pg.psql("INSERT INTO trace_keys (tenant, trace_id, time, spans, calls) VALUES ('" + tenant + "', '\\x" + id
                + "', " + time + ", ARRAY['\\x" + id + "'::bytea], " + (call ? "ARRAY['\\x" + id + "'::bytea]" : "'{}'")
                + ")");
    }

    /** The tenant's stored spans and calls, then those of them without a key: "spans|calls|spans|calls". */
    private String rowsWithoutKey(String tenant) {
        String noKey = " x WHERE tenant = '" + tenant + "' AND NOT EXISTS (SELECT 1 FROM trace_keys k WHERE k.tenant = "
                + "x.tenant AND k.trace_id = x.trace_id AND x.span_id = ANY (k.%s))";
        return pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT count(*) FROM spans" + noKey.formatted("spans") + ") || '|' || "
                + "(SELECT count(*) FROM llm_calls" + noKey.formatted("calls") + ")");
    }

    @Test
    void hypertablesAreCompressedAndExpiredByTheirPolicyJobs() {
        assumeTrue(layout.timescale(), "TimescaleDB only");
        assertThat(pg.psql("SELECT string_agg(hypertable_name, ',' ORDER BY hypertable_name) FROM "
                + "timescaledb_information.hypertables")).isEqualTo("llm_calls,logs,metric_points,spans");
        // TimescaleDB runs a retention policy as soon as it is defined (maintenance does at start): paused, so the
        // past-retention call below goes when this test runs the job, not between its insert and the first count.
        pg.psql("SELECT count(*) FROM (SELECT alter_job(job_id, next_start => 'infinity') FROM timescaledb_information.jobs "
                + "WHERE proc_name = 'policy_retention') paused");
        // Calls 3 days old (compressed after 2 days, still kept) and past retention, stored as enrich does.
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        long recent = now.minus(Duration.ofDays(3)).getEpochSecond() * 1_000_000_000L;
        long old = now.minus(Duration.ofDays(pastRetention())).getEpochSecond() * 1_000_000_000L;
        pipeline.consume(tenant, batch(
                llmSpan("33333333333333333333333333333333", "3333333333333333").toBuilder()
                        .setStartTimeUnixNano(recent).setEndTimeUnixNano(recent + 1_000_000).build(),
                llmSpan("44444444444444444444444444444444", "4444444444444444").toBuilder()
                        .setStartTimeUnixNano(old).setEndTimeUnixNano(old + 1_000_000).build())).await().atMost(WAIT);
        drainer.drainAll().await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("2");

        // Maintenance defines the retention policies from the configuration ...
        maintenance.run().await().atMost(WAIT);
        assertThat(pg.psql("SELECT string_agg(hypertable_name || '=' || justify_hours((config ->> 'drop_after')::interval), ',' "
                + "ORDER BY hypertable_name) FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"))
                .isEqualTo("llm_calls=" + config.retention().llmCalls().toDays() + " days,logs=" + config.retention().raw().toDays()
                        + " days,metric_points=" + config.retention().raw().toDays() + " days,spans=" + config.retention().raw().toDays() + " days");
        maintenance.run().await().atMost(WAIT); // unchanged configuration: the policies are kept as they are
        // ... and TimescaleDB's jobs do the work: compression, then retention.
        runJobs("policy_compression", "llm_calls");
        assertThat(pg.psql("SELECT bool_or(is_compressed) FROM timescaledb_information.chunks WHERE hypertable_name = "
                + "'llm_calls' AND range_end < now() - interval '2 days'")).isEqualTo("t");
        assertThat(pg.psql("SELECT count(*), sum(input_tokens) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .as("compressed chunks still answer").isEqualTo("2|2000");
        runJobs("policy_retention", "llm_calls");
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
        // run_job runs a job in the foreground without recording it; TimescaleDB's scheduler records its own runs.
        for (String proc : List.of("policy_compression", "policy_retention")) {
            assertThat(runByScheduler(proc, "llm_calls")).as(proc + " run by the scheduler").isEqualTo("Success|0");
        }

        // A call retried into a compressed chunk is still stored once (the conflict is found in compressed data).
        pipeline.consume(tenant, batch(llmSpan("33333333333333333333333333333333", "3333333333333333").toBuilder()
                .setStartTimeUnixNano(recent).setEndTimeUnixNano(recent + 1_000_000).build())).await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    /** Has TimescaleDB's scheduler run the job now; its last status and failure count once it has. */
    private String runByScheduler(String proc, String hypertable) {
        String job = pg.psql("SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = '" + proc
                + "' AND hypertable_name = '" + hypertable + "'");
        String stats = "SELECT coalesce(total_successes, 0) + coalesce(total_failures, 0) FROM "
                + "timescaledb_information.job_stats WHERE job_id = " + job;
        String before = pg.psql(stats);
        pg.psql("SELECT alter_job(" + job + ", next_start => now())");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pg.psql(stats).equals(before) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return pg.psql("SELECT last_run_status || '|' || total_failures FROM timescaledb_information.job_stats "
                + "WHERE job_id = " + job);
    }

    /** Days ago that every table's retention has passed. */
    private long pastRetention() {
        return Math.max(config.retention().raw().toDays(), config.retention().llmCalls().toDays()) + 10;
    }

    private void runJobs(String proc, String hypertable) {
        String ids = pg.psql("SELECT string_agg(job_id::text, ',') FROM timescaledb_information.jobs WHERE proc_name = '"
                + proc + "' AND hypertable_name = '" + hypertable + "'");
        assertThat(ids).as(proc + " job of " + hypertable).isNotEmpty();
        for (String id : ids.split(",")) {
            pg.psql("CALL run_job(" + id + ")");
        }
    }


    private static String day(LocalDate d) {
        return DateTimeFormatter.BASIC_ISO_DATE.format(d);
    }
}
