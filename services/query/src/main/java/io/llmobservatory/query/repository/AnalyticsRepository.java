package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.Analytics;
import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.Page;
import io.llmobservatory.query.service.TimeRange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Analytics over {@code llm_calls}. Every filter value is a bound parameter; the only variable SQL text comes from
 * whitelists (grouping column). Parameters $1-$10 are the tenant, window and {@link Filters} ({@link #WHERE}); the raw
 * queries' own parameters start at $11. The rollup-served queries take {@link RollupSplit}'s parameters instead.
 */
@ApplicationScoped
public class AnalyticsRepository {
    static final String WHERE = """
            WHERE tenant = $1 AND time >= $2 AND time < $3
              AND ($4::text IS NULL OR model = $4) AND ($5::text IS NULL OR provider = $5)
              AND ($6::text IS NULL OR service_name = $6) AND ($7::text IS NULL OR user_id = $7)
              AND ($8::text IS NULL OR session_id = $8)
              AND ($9::text IS NULL OR ($9 = 'error') = (status_code = 2))
              AND ($10::text IS NULL OR response_model = $10)
            """;
    static final String LATENCY_TREND = """
            SELECT date_bin(make_interval(secs => $11::float8), time, timestamptz '2000-01-01 00:00:00+00') AS bucket,
                   CASE WHEN $12 THEN model END AS model, count(*) AS requests,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ns) / 1e6 AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ns) / 1e6 AS p95,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ns) / 1e6 AS p99
            FROM llm_calls
            """ + WHERE + " GROUP BY 1, 2 ORDER BY 1, 2";
    static final String EXPENSIVE = """
            SELECT encode(trace_id, 'hex') AS trace_id, encode(span_id, 'hex') AS span_id, time, model, response_model,
                   provider, service_name, user_id, input_tokens, output_tokens, cost_usd, duration_ns, status_code
            FROM llm_calls
            """ + WHERE + """
              AND cost_usd IS NOT NULL AND ($11::numeric IS NULL OR cost_usd >= $11)
            ORDER BY cost_usd DESC, time DESC, trace_id, span_id
            LIMIT $12 OFFSET $13
            """;
    static final String COMPARE = """
            SELECT coalesce(model, '(unknown)') AS model, coalesce(provider, '(unknown)') AS provider,
                   count(*) AS requests, avg(duration_ns) / 1e6 AS avg_latency,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ns) / 1e6 AS p95_latency,
                   avg(CASE WHEN status_code = 2 THEN 1.0 ELSE 0.0 END) AS error_rate,
                   coalesce(sum(cost_usd), 0) AS cost, coalesce(sum(cost_usd), 0) * 1000 / count(*) AS cost_per_1k,
                   avg(tokens_per_second) AS tokens_per_second
            FROM llm_calls
            """ + WHERE + " GROUP BY 1, 2 ORDER BY requests DESC, 1, 2 LIMIT $11 OFFSET $12";
    static final String USERS = """
            SELECT user_id, count(*) AS requests,
                   coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), 0) AS tokens,
                   coalesce(sum(cost_usd), 0) AS cost
            FROM llm_calls
            """ + WHERE + " AND user_id IS NOT NULL GROUP BY user_id ORDER BY cost DESC, requests DESC, user_id"
            + " LIMIT $11 OFFSET $12";
    static final String SPEND = """
            SELECT coalesce(sum(cost_usd) FILTER (WHERE time >= now() - interval '1 hour'), 0) AS h1,
                   coalesce(sum(cost_usd) FILTER (WHERE time >= now() - interval '24 hours'), 0) AS h24,
                   coalesce(sum(cost_usd) FILTER (WHERE time >= now() - interval '7 days'), 0) AS d7,
                   coalesce(sum(cost_usd), 0) AS d30, count(*) AS requests
            FROM llm_calls
            WHERE tenant = $1 AND time >= now() - interval '30 days' AND time <= now()
              AND ($2::text IS NULL OR user_id = $2)
            """;
    private static final String BIN = "date_bin(make_interval(secs => $13::float8), %s, timestamptz '2000-01-01 00:00:00+00')";
    /**
     * The error trend from the model rollups ({@link RollupSplit}: $10-$12 model/provider/service, $13 the bucket in
     * seconds, a whole number of hours, $14 the grouping): rollup buckets fall wholly into date_bin buckets, since
     * both are aligned to 2000-01-01T00:00Z (daily rollup rows are used only for whole-day buckets).
     */
    static final String ERRORS_ROLLUP = "WITH parts AS (" + RollupSplit.parts("llm_calls_model",
            BIN.formatted("bucket") + " AS b, CASE $14 WHEN 'model' THEN model WHEN 'provider' THEN provider END AS grp,"
                    + " requests, errors",
            BIN.formatted("time") + ", CASE $14 WHEN 'model' THEN model WHEN 'provider' THEN provider END, 1,"
                    + " CASE WHEN status_code = 2 THEN 1 ELSE 0 END", null) + """
            )
            SELECT b AS bucket, grp, sum(requests)::bigint AS requests, sum(errors)::bigint AS errors
            FROM parts GROUP BY 1, 2 HAVING sum(requests) > 0 ORDER BY 1, 2
            """;
    /** Tenant-wide cost and requests in [$2, $9) from the model rollups and the raw edges ($10-$12 are null). */
    static final String TOTALS_ROLLUP = "SELECT coalesce(sum(cost), 0) AS cost, coalesce(sum(requests), 0)::bigint AS requests"
            + " FROM (" + RollupSplit.parts("llm_calls_model", "cost_usd AS cost, requests", "sum(cost_usd), count(*)", null)
            + ") p";
    /**
     * Latency histograms per bucket ($13 seconds) and, when $14, per model: the rollups' rows as they are (merged in
     * {@link LatencyHistogram}), the raw edges binned by the same SQL function as one-bin rows.
     */
    static final String LATENCY_BINS = RollupSplit.parts("llm_calls_latency",
            BIN.formatted("bucket") + " AS b, CASE WHEN $14 THEN model END AS model, bins, counts",
            BIN.formatted("time") + ", CASE WHEN $14 THEN model END, ARRAY[latency_bin(duration_ns)], ARRAY[count(*)]",
            "1, 2, latency_bin(duration_ns)");
    /** Model comparison from the model rollups; $13/$14 limit and offset. p95 comes from {@link #COMPARE_BINS}. */
    static final String COMPARE_ROLLUP = "WITH parts AS (" + RollupSplit.parts("llm_calls_model",
            "model, provider, requests, duration_ns_sum, errors, cost_usd, tps_sum, tps_count",
            "model, provider, count(*), sum(duration_ns), count(*) FILTER (WHERE status_code = 2),"
                    + " coalesce(sum(cost_usd), 0), coalesce(sum(tokens_per_second), 0), count(tokens_per_second)",
            "model, provider") + """
            )
            SELECT coalesce(model, '(unknown)') AS model, coalesce(provider, '(unknown)') AS provider,
                   sum(requests)::bigint AS requests, (sum(duration_ns_sum) / sum(requests) / 1e6)::float8 AS avg_latency,
                   sum(errors)::numeric / sum(requests) AS error_rate, sum(cost_usd) AS cost,
                   sum(cost_usd) * 1000 / sum(requests) AS cost_per_1k,
                   CASE WHEN sum(tps_count) > 0 THEN sum(tps_sum) / sum(tps_count) END AS tokens_per_second
            FROM parts GROUP BY 1, 2 HAVING sum(requests) > 0 ORDER BY requests DESC, 1, 2 LIMIT $13 OFFSET $14
            """;
    static final String COMPARE_BINS = RollupSplit.parts("llm_calls_latency",
            "coalesce(model, '(unknown)') AS model, coalesce(provider, '(unknown)') AS provider, bins, counts",
            "coalesce(model, '(unknown)'), coalesce(provider, '(unknown)'), ARRAY[latency_bin(duration_ns)], ARRAY[count(*)]",
            "1, 2, latency_bin(duration_ns)");
    /**
     * User activity from the per-user rollups: whole days from {@code llm_calls_user_1d}, whole hours from the V4
     * per-user hourly rollup, edges raw, the calls of the rollup range still in either rollup queue (V10, V12) as raw
     * rows; $13/$14 limit and offset.
     */
    static final String USERS_ROLLUP = """
            WITH parts AS (
                SELECT user_id, requests, input_tokens + output_tokens AS tokens, cost_usd FROM llm_calls_user_1d
                WHERE""" + RollupSplit.DAYS + RollupSplit.MODEL_FILTERS + """
                UNION ALL
                SELECT user_id, requests, input_tokens + output_tokens, cost_usd FROM llm_calls_1h
                WHERE""" + RollupSplit.HOURS + RollupSplit.MODEL_FILTERS + """
                  AND user_id IS NOT NULL
                UNION ALL
            """ + RollupSplit.userRawParts("user_id, count(*),"
                    + " coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), 0), coalesce(sum(cost_usd), 0)",
                    " AND user_id IS NOT NULL", "user_id") + """
            )
            SELECT user_id, sum(requests)::bigint AS requests, sum(tokens)::bigint AS tokens, sum(cost_usd) AS cost
            FROM parts GROUP BY user_id ORDER BY cost DESC, requests DESC, user_id LIMIT $13 OFFSET $14
            """;
    static final String ERRORS = """
            SELECT date_bin(make_interval(secs => $11::float8), time, timestamptz '2000-01-01 00:00:00+00') AS bucket,
                   CASE $12 WHEN 'model' THEN model WHEN 'provider' THEN provider WHEN 'error_type' THEN error_type END
                       AS grp,
                   count(*) AS requests, count(*) FILTER (WHERE status_code = 2) AS errors
            FROM llm_calls
            """ + WHERE + " GROUP BY 1, 2 ORDER BY 1, 2";

    private final Pool pool;

    public AnalyticsRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * p50/p95/p99 per bucket. Exact ({@code percentile_cont} over raw rows) when asked, for buckets under an hour and
     * for filters the rollups lack; otherwise estimated from the latency histograms (within
     * {@link LatencyHistogram#RELATIVE_ERROR}), which reads rollup rows instead of every call.
     */
    public Uni<List<Analytics.LatencyPoint>> latencyTrend(String tenant, TimeRange range, Filters f, Duration bucket,
                                                          boolean byModel, boolean exact) {
        if (exact || !RollupSplit.rollupAnswers(f) || bucket.toSeconds() % 3600 != 0) {
            return query(LATENCY_TREND, args(tenant, range, f, bucket.toSeconds(), byModel), r -> new Analytics.LatencyPoint(
                    time(r, "bucket"), r.getString("model"), r.getLong("requests"), r.getDouble("p50"),
                    r.getDouble("p95"), r.getDouble("p99")));
        }
        Tuple args = RollupSplit.of(range, bucket).args(tenant, f.model(), f.provider(), f.service(), bucket.toSeconds(),
                byModel);
        return pool.preparedQuery(LATENCY_BINS).execute(args).map(rows -> {
            Map<List<String>, LatencyHistogram> histograms = histograms(rows,
                    r -> Arrays.asList(time(r, "b"), r.getString("model")), new TreeMap<>(BUCKET_THEN_MODEL));
            List<Analytics.LatencyPoint> out = new ArrayList<>();
            histograms.forEach((key, h) -> out.add(new Analytics.LatencyPoint(key.get(0), key.get(1), h.total(),
                    h.percentileMs(0.5), h.percentileMs(0.95), h.percentileMs(0.99))));
            return out;
        });
    }

    /** Buckets in time order, then models by name, an unknown (null) model last, as the raw query sorts. */
    private static final Comparator<List<String>> BUCKET_THEN_MODEL = Comparator.<List<String>, String>comparing(k -> k.get(0))
            .thenComparing(k -> k.get(1), Comparator.nullsLast(Comparator.naturalOrder()));

    public Uni<List<Analytics.ExpensiveRequest>> expensive(String tenant, TimeRange range, Filters f, BigDecimal minCost,
                                                          Page page) {
        return query(EXPENSIVE, args(tenant, range, f, minCost, page.limit(), page.offset()), r -> new Analytics.ExpensiveRequest(
                r.getString("trace_id"), r.getString("span_id"), time(r, "time"), r.getString("model"),
                r.getString("response_model"), r.getString("provider"), r.getString("service_name"), r.getString("user_id"), r.getLong("input_tokens"),
                r.getLong("output_tokens"), r.getBigDecimal("cost_usd").stripTrailingZeros(),
                r.getLong("duration_ns") / 1e6, r.getInteger("status_code") == 2));
    }

    /** Per-model statistics from the rollups, p95 from the histograms; exact (all raw rows) when asked or filtered. */
    public Uni<List<Analytics.ModelStats>> compare(String tenant, TimeRange range, Filters f, Page page, boolean exact) {
        if (exact || !RollupSplit.rollupAnswers(f)) {
            return query(COMPARE, args(tenant, range, f, page.limit(), page.offset()), r -> modelStats(r, r.getDouble("p95_latency")));
        }
        RollupSplit split = RollupSplit.of(range);
        Uni<RowSet<Row>> stats = pool.preparedQuery(COMPARE_ROLLUP)
                .execute(split.args(tenant, f.model(), f.provider(), f.service(), page.limit(), page.offset()));
        Uni<Map<List<String>, LatencyHistogram>> latencies = pool.preparedQuery(COMPARE_BINS)
                .execute(split.args(tenant, f.model(), f.provider(), f.service()))
                .map(rows -> histograms(rows, AnalyticsRepository::modelKey, new HashMap<>()));
        return Uni.combine().all().unis(stats, latencies).with((rows, histograms) -> {
            List<Analytics.ModelStats> out = new ArrayList<>();
            for (Row r : rows) {
                LatencyHistogram h = histograms.get(modelKey(r));
                out.add(modelStats(r, h == null ? Double.NaN : h.percentileMs(0.95)));
            }
            return out;
        });
    }

    private static List<String> modelKey(Row r) {
        return List.of(r.getString("model"), r.getString("provider"));
    }

    /** The histogram rows (bins and counts arrays) merged per {@code key} into {@code into}. */
    private static <M extends Map<List<String>, LatencyHistogram>> M histograms(RowSet<Row> rows,
                                                                              Function<Row, List<String>> key, M into) {
        for (Row r : rows) {
            into.computeIfAbsent(key.apply(r), k -> new LatencyHistogram())
                    .add(r.getArrayOfShorts("bins"), r.getArrayOfLongs("counts"));
        }
        return into;
    }

    private static Analytics.ModelStats modelStats(Row r, double p95) {
        return new Analytics.ModelStats(r.getString("model"), r.getString("provider"), r.getLong("requests"),
                r.getDouble("avg_latency"), p95, r.getDouble("error_rate"), plain(r.getBigDecimal("cost")),
                plain(r.getBigDecimal("cost_per_1k")), r.getDouble("tokens_per_second"));
    }

    public Uni<List<Analytics.UserActivity>> users(String tenant, TimeRange range, Filters f, Page page) {
        Tuple tuple = RollupSplit.rollupAnswers(f)
                ? RollupSplit.withoutMinutes(range).args(tenant, f.model(), f.provider(), f.service(), page.limit(),
                        page.offset())
                : args(tenant, range, f, page.limit(), page.offset());
        return query(RollupSplit.rollupAnswers(f) ? USERS_ROLLUP : USERS, tuple, r -> new Analytics.UserActivity(
                r.getString("user_id"), r.getLong("requests"), r.getLong("tokens"), plain(r.getBigDecimal("cost"))));
    }

    public Uni<Analytics.SpendWindows> spend(String tenant, String user) {
        if (user == null) {
            Instant now = Instant.now();
            return Uni.combine().all().unis(total(tenant, now, Duration.ofHours(1)), total(tenant, now, Duration.ofHours(24)),
                    total(tenant, now, Duration.ofDays(7)), total(tenant, now, Duration.ofDays(30)))
                    .with((h1, h24, d7, d30) -> new Analytics.SpendWindows(plain(h1.getBigDecimal("cost")),
                            plain(h24.getBigDecimal("cost")), plain(d7.getBigDecimal("cost")),
                            plain(d30.getBigDecimal("cost")), d30.getLong("requests")));
        }
        return pool.preparedQuery(SPEND).execute(Tuple.of(tenant, user)).map(rows -> {
            Row r = rows.iterator().next();
            return new Analytics.SpendWindows(plain(r.getBigDecimal("h1")), plain(r.getBigDecimal("h24")),
                    plain(r.getBigDecimal("d7")), plain(r.getBigDecimal("d30")), r.getLong("requests"));
        });
    }

    private Uni<Row> total(String tenant, Instant now, Duration window) {
        return pool.preparedQuery(TOTALS_ROLLUP).execute(RollupSplit.of(now.minus(window), now, true, true)
                        .args(tenant, null, null, null))
                .map(rows -> rows.iterator().next());
    }

    public Uni<List<Analytics.ErrorPoint>> errors(String tenant, TimeRange range, Filters f, Duration bucket,
                                                  String groupBy) {
        boolean rollup = RollupSplit.rollupAnswers(f) && !"error_type".equals(groupBy) && bucket.toSeconds() % 3600 == 0;
        Tuple tuple = rollup
                ? RollupSplit.of(range, bucket).args(tenant, f.model(), f.provider(), f.service(), bucket.toSeconds(), groupBy)
                : args(tenant, range, f, bucket.toSeconds(), groupBy);
        return query(rollup ? ERRORS_ROLLUP : ERRORS, tuple, r -> {
            long requests = r.getLong("requests");
            long errors = r.getLong("errors");
            return new Analytics.ErrorPoint(time(r, "bucket"), r.getString("grp"), requests, errors,
                    requests == 0 ? 0 : (double) errors / requests);
        });
    }

    private <T> Uni<List<T>> query(String sql, Tuple args, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(args).map((RowSet<Row> rows) -> {
            List<T> out = new ArrayList<>();
            rows.forEach(r -> out.add(mapper.apply(r)));
            return out;
        });
    }

    /** $1-$10: the tenant, the window and the {@link Filters}, in {@link #WHERE}'s order; then {@code extra}. */
    static Tuple args(String tenant, TimeRange range, Filters f, Object... extra) {
        List<Object> values = new ArrayList<>(Arrays.asList(tenant, range.from().atOffset(ZoneOffset.UTC),
                range.to().atOffset(ZoneOffset.UTC), f.model(), f.provider(), f.service(), f.user(), f.session(),
                f.status(), f.responseModel()));
        values.addAll(Arrays.asList(extra));
        return Tuple.wrap(values);
    }

    private static String time(Row r, String column) {
        return r.getOffsetDateTime(column).withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
