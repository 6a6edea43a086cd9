package io.llmobservatory.enrich.storage;

/**
 * The upserts that add calls to the writer-maintained rollups (V5/V6/V11 per model and minute/hour/day, V6/V11
 * latency histograms; V4 per user and hour, V6 per user and day), as data-modifying CTEs over a source CTE with the
 * columns of {@link TraceRepository#ROLLUP_INPUT} (the per-user ones need only {@link #USER_INPUT}). Every upsert
 * takes its rows in key order (ORDER BY), so statements updating the same rollup rows lock them in the same order and
 * never deadlock (they did, under 8 concurrent writers, before: found by benchmarks/pipeline).
 */
final class RollupSql {
    private RollupSql() {
    }

    /** The per-model rollups without the user dimension (V5 hourly, V6 daily) that the aggregate endpoints read. */
    static final String MODEL_ROLLUP_COLUMNS = " (bucket, tenant, model, provider, service_name, requests, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced,"
            + " provided_cost_requests, cost_disagreements, errors, duration_ns_sum, duration_ns_max, tps_sum, tps_count)";
    static final String MODEL_ROLLUP_KEY = " (bucket, tenant, model, provider, service_name)";
    static final String USER_HOUR_KEY = " (bucket, tenant, model, provider, service_name, user_id)";
    static final String USER_DAY_KEY = " (tenant, bucket, user_id, model, provider, service_name)";

    /** The columns the per-user rollups are made of, as the user stage's queue (V12) holds them. */
    static final String USER_INPUT = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens,"
            + " cache_read_tokens, cost_usd, status_code, duration_ns";

    /**
     * The six per-model rollups (minute, hour and day; totals and latency histograms) from {@code source}. The calls
     * are grouped once per minute and key ({@code model_minutes}) and once per minute, key and latency bin
     * ({@code latency_minute_bins}); the hours and days are summed from those groups instead of from the calls again
     * (a drain's calls fall into a few minutes of a few models: four passes over the calls became four over a few
     * dozen rows; benchmarks/drain-cost).
     */
    static String models(String source) {
        return "model_minutes AS MATERIALIZED (SELECT date_trunc('minute', time) AS bucket, tenant, model, provider,"
                + " service_name, count(*) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,"
                + " coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,"
                + " coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,"
                + " coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,"
                + " count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced,"
                + " count(*) FILTER (WHERE cost_source = 'provided') AS provided_cost_requests,"
                + " count(*) FILTER (WHERE cost_disagrees) AS cost_disagreements,"
                + " count(*) FILTER (WHERE status_code = 2) AS errors, sum(duration_ns) AS duration_ns_sum,"
                + " max(duration_ns) AS duration_ns_max, coalesce(sum(tokens_per_second), 0) AS tps_sum,"
                + " count(tokens_per_second) AS tps_count FROM " + source + " GROUP BY 1, 2, 3, 4, 5), "
                + model("model_minute_rollup", "llm_calls_model_1m", "SELECT * FROM model_minutes") + ", "
                + model("model_hour_rollup", "llm_calls_model_1h", modelsPer("hour")) + ", "
                + model("model_day_rollup", "llm_calls_model_1d", modelsPer("day")) + ", "
                + "latency_minute_bins AS MATERIALIZED (SELECT date_trunc('minute', time) AS bucket, tenant, model,"
                + " provider, service_name, latency_bin(duration_ns) AS bin, count(*) AS n FROM " + source
                + " GROUP BY 1, 2, 3, 4, 5, 6), "
                + histogram("latency_minute_rollup", "llm_calls_latency_1m", "latency_minute_bins") + ", "
                + histogram("latency_hour_rollup", "llm_calls_latency_1h", binsPer("hour")) + ", "
                + histogram("latency_day_rollup", "llm_calls_latency_1d", binsPer("day"));
    }

    /** The minute groups summed per hour or day, with the columns of {@link #MODEL_ROLLUP_COLUMNS}. */
    private static String modelsPer(String unit) {
        return "SELECT date_trunc('" + unit + "', bucket), tenant, model, provider, service_name, sum(requests),"
                + " sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens),"
                + " sum(reasoning_tokens), sum(cost_usd), sum(unpriced), sum(provided_cost_requests),"
                + " sum(cost_disagreements), sum(errors), sum(duration_ns_sum), max(duration_ns_max), sum(tps_sum),"
                + " sum(tps_count) FROM model_minutes GROUP BY 1, 2, 3, 4, 5";
    }

    /** The minute bins summed per hour or day and bin, as a subquery with the columns of latency_minute_bins. */
    private static String binsPer(String unit) {
        return "(SELECT date_trunc('" + unit + "', bucket) AS bucket, tenant, model, provider, service_name, bin,"
                + " sum(n)::bigint AS n FROM latency_minute_bins GROUP BY 1, 2, 3, 4, 5, 6) g";
    }

    /** Adds the rows of {@code select} (the columns of {@link #MODEL_ROLLUP_COLUMNS}) to a model rollup. */
    private static String model(String cte, String table, String select) {
        return cte + " AS (INSERT INTO " + table + " AS r" + MODEL_ROLLUP_COLUMNS + " " + select
                + " ORDER BY 1, 2, 3, 4, 5"
                + " ON CONFLICT" + MODEL_ROLLUP_KEY + " DO UPDATE SET"
                + " requests = r.requests + EXCLUDED.requests, input_tokens = r.input_tokens + EXCLUDED.input_tokens,"
                + " output_tokens = r.output_tokens + EXCLUDED.output_tokens,"
                + " cache_read_tokens = r.cache_read_tokens + EXCLUDED.cache_read_tokens,"
                + " cache_write_tokens = r.cache_write_tokens + EXCLUDED.cache_write_tokens,"
                + " reasoning_tokens = r.reasoning_tokens + EXCLUDED.reasoning_tokens,"
                + " cost_usd = r.cost_usd + EXCLUDED.cost_usd, unpriced = r.unpriced + EXCLUDED.unpriced,"
                + " provided_cost_requests = r.provided_cost_requests + EXCLUDED.provided_cost_requests,"
                + " cost_disagreements = r.cost_disagreements + EXCLUDED.cost_disagreements,"
                + " errors = r.errors + EXCLUDED.errors, duration_ns_sum = r.duration_ns_sum + EXCLUDED.duration_ns_sum,"
                + " duration_ns_max = greatest(r.duration_ns_max, EXCLUDED.duration_ns_max),"
                + " tps_sum = r.tps_sum + EXCLUDED.tps_sum, tps_count = r.tps_count + EXCLUDED.tps_count)";
    }

    /**
     * Adds per-bin counts ({@code bins}: a table or subquery with bucket, the model key, bin and n) to a latency
     * histogram rollup: one row per key and bucket with its non-empty bins in order; a conflicting row is merged with
     * latency_bins_merge.
     */
    private static String histogram(String cte, String table, String bins) {
        return cte + " AS (INSERT INTO " + table + " AS r (bucket, tenant, model, provider, service_name, bins, counts)"
                + " SELECT bucket, tenant, model, provider, service_name, array_agg(bin ORDER BY bin),"
                + " array_agg(n ORDER BY bin) FROM " + bins + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
                + " ON CONFLICT (tenant, bucket, model, provider, service_name) DO UPDATE SET (bins, counts) ="
                + " (SELECT m.bins, m.counts FROM latency_bins_merge(r.bins, r.counts, EXCLUDED.bins, EXCLUDED.counts) m))";
    }

    /**
     * The two per-user rollups (V4 hourly, V6 daily) from {@code source} with the columns of {@link #USER_INPUT}:
     * the calls are grouped once, per hour, user, model, provider and service ({@code user_hours}, materialized),
     * and the daily rollup is summed from those groups instead of from the calls again (a user-stage drain groups
     * ~100 K calls into ~20 K hours; a second pass over the calls was a third of its time).
     */
    static String users(String source) {
        return "user_hours AS MATERIALIZED (SELECT date_trunc('hour', time) AS bucket, tenant, model, provider,"
                + " service_name, user_id, count(*) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,"
                + " coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,"
                + " coalesce(sum(cost_usd), 0) AS cost_usd, sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,"
                + " sum(CASE WHEN status_code = 2 THEN 1 ELSE 0 END) AS errors, sum(duration_ns) AS duration_ns_sum,"
                + " max(duration_ns) AS duration_ns_max FROM " + source + " GROUP BY 1, 2, 3, 4, 5, 6), "
                + "hour_rollup AS (INSERT INTO llm_calls_1h AS r (bucket, tenant, model, provider, service_name, user_id,"
                + " requests, input_tokens, output_tokens, cache_read_tokens, cost_usd, unpriced, errors, duration_ns_sum,"
                + " duration_ns_max)"
                + " SELECT * FROM user_hours ORDER BY 1, 2, 3, 4, 5, 6"
                + " ON CONFLICT" + USER_HOUR_KEY + " DO UPDATE SET"
                + " requests = r.requests + EXCLUDED.requests, input_tokens = r.input_tokens + EXCLUDED.input_tokens,"
                + " output_tokens = r.output_tokens + EXCLUDED.output_tokens,"
                + " cache_read_tokens = r.cache_read_tokens + EXCLUDED.cache_read_tokens,"
                + " cost_usd = r.cost_usd + EXCLUDED.cost_usd, unpriced = r.unpriced + EXCLUDED.unpriced,"
                + " errors = r.errors + EXCLUDED.errors, duration_ns_sum = r.duration_ns_sum + EXCLUDED.duration_ns_sum,"
                + " duration_ns_max = greatest(r.duration_ns_max, EXCLUDED.duration_ns_max)), "
                + "user_day_rollup AS (INSERT INTO llm_calls_user_1d AS r (bucket, tenant,"
                + " user_id, model, provider, service_name, requests, input_tokens, output_tokens, cost_usd)"
                + " SELECT date_trunc('day', bucket), tenant, user_id, model, provider, service_name, sum(requests),"
                + " sum(input_tokens), sum(output_tokens), sum(cost_usd)"
                + " FROM user_hours WHERE user_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
                + " ON CONFLICT" + USER_DAY_KEY + " DO UPDATE SET requests = r.requests + EXCLUDED.requests,"
                + " input_tokens = r.input_tokens + EXCLUDED.input_tokens,"
                + " output_tokens = r.output_tokens + EXCLUDED.output_tokens, cost_usd = r.cost_usd + EXCLUDED.cost_usd)";
    }
}
