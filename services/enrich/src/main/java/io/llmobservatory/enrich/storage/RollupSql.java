package io.llmobservatory.enrich.storage;

/**
 * The upserts that add calls to the writer-maintained rollups (V5/V6/V11 per model and minute/hour/day, V6/V11
 * latency histograms; V4 per user and hour, V6 per user and day), as data-modifying CTEs over a source CTE with the
 * columns of {@link TraceRepository#ROLLUP_INPUT} (the per-user ones need only {@link #USER_INPUT}). Every upsert takes its rows in key order (ORDER BY), so statements updating
 * the same rollup rows lock them in the same order and never deadlock (they did, under 8 concurrent writers, before:
 * found by benchmarks/pipeline).
 */
final class RollupSql {
    private RollupSql() {
    }

    /** The per-model rollups without the user dimension (V5 hourly, V6 daily) that the aggregate endpoints read. */
    static final String MODEL_ROLLUP_COLUMNS = " (bucket, tenant, model, provider, service_name, requests, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced,"
            + " provided_cost_requests, cost_disagreements, errors, duration_ns_sum, duration_ns_max, tps_sum, tps_count)";
    static final String MODEL_ROLLUP_KEY = " (bucket, tenant, model, provider, service_name)";
    static final String USER_DAY_KEY = " (tenant, bucket, user_id, model, provider, service_name)";

    /** The columns the per-user rollups are made of, as the user stage's queue (V12) holds them. */
    static final String USER_INPUT = "time, tenant, model, provider, service_name, user_id, input_tokens, output_tokens,"
            + " cache_read_tokens, cost_usd, status_code, duration_ns";

    /** The six per-model rollups (minute, hour and day; totals and latency histograms) from {@code source}. */
    static String models(String source) {
        return model("model_minute_rollup", "llm_calls_model_1m", "minute", source) + ", "
                + model("model_hour_rollup", "llm_calls_model_1h", "hour", source) + ", "
                + model("model_day_rollup", "llm_calls_model_1d", "day", source) + ", "
                + latency("latency_minute_rollup", "llm_calls_latency_1m", "minute", source) + ", "
                + latency("latency_hour_rollup", "llm_calls_latency_1h", "hour", source) + ", "
                + latency("latency_day_rollup", "llm_calls_latency_1d", "day", source);
    }

    /** The two per-user rollups (V4 hourly, V6 daily) from {@code source} with the columns of {@link #USER_INPUT}. */
    static String users(String source) {
        return user("hour_rollup", "llm_calls_1h", "hour", source) + ", " + userDay("user_day_rollup", source);
    }

    static String model(String cte, String table, String unit, String source) {
        return cte + " AS (INSERT INTO " + table + " AS r" + MODEL_ROLLUP_COLUMNS
                + " SELECT date_trunc('" + unit + "', time), tenant, model, provider, service_name, count(*),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0),"
                + " coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0),"
                + " count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE cost_source = 'provided'),"
                + " count(*) FILTER (WHERE cost_disagrees), count(*) FILTER (WHERE status_code = 2), sum(duration_ns),"
                + " max(duration_ns), coalesce(sum(tokens_per_second), 0), count(tokens_per_second)"
                + " FROM " + source + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
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
     * Latency histograms (V6): per key and bucket the non-empty bins of the SQL function latency_bin and their
     * counts; a conflicting row is merged with latency_bins_merge.
     */
    static String latency(String cte, String table, String unit, String source) {
        return cte + " AS (INSERT INTO " + table + " AS r (bucket, tenant, model, provider, service_name, bins, counts)"
                + " SELECT b, tenant, model, provider, service_name, array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)"
                + " FROM (SELECT date_trunc('" + unit + "', time) AS b, tenant, model, provider, service_name,"
                + " latency_bin(duration_ns) AS bin, count(*) AS n FROM " + source + " GROUP BY 1, 2, 3, 4, 5, 6) g"
                + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
                + " ON CONFLICT (tenant, bucket, model, provider, service_name) DO UPDATE SET (bins, counts) ="
                + " (SELECT m.bins, m.counts FROM latency_bins_merge(r.bins, r.counts, EXCLUDED.bins, EXCLUDED.counts) m))";
    }

    /** The V4 rollup per user, model, provider and service. */
    static String user(String cte, String table, String unit, String source) {
        return cte + " AS (INSERT INTO " + table + " AS r (bucket, tenant, model, provider, service_name, user_id, requests,"
                + " input_tokens, output_tokens, cache_read_tokens, cost_usd, unpriced, errors, duration_ns_sum,"
                + " duration_ns_max)"
                + " SELECT date_trunc('" + unit + "', time), tenant, model, provider, service_name, user_id, count(*),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0),"
                + " coalesce(sum(cost_usd), 0), sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END),"
                + " sum(CASE WHEN status_code = 2 THEN 1 ELSE 0 END), sum(duration_ns), max(duration_ns)"
                + " FROM " + source + " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
                + " ON CONFLICT (bucket, tenant, model, provider, service_name, user_id) DO UPDATE SET"
                + " requests = r.requests + EXCLUDED.requests, input_tokens = r.input_tokens + EXCLUDED.input_tokens,"
                + " output_tokens = r.output_tokens + EXCLUDED.output_tokens,"
                + " cache_read_tokens = r.cache_read_tokens + EXCLUDED.cache_read_tokens,"
                + " cost_usd = r.cost_usd + EXCLUDED.cost_usd, unpriced = r.unpriced + EXCLUDED.unpriced,"
                + " errors = r.errors + EXCLUDED.errors, duration_ns_sum = r.duration_ns_sum + EXCLUDED.duration_ns_sum,"
                + " duration_ns_max = greatest(r.duration_ns_max, EXCLUDED.duration_ns_max))";
    }

    /** The V6 daily rollup per user (calls with a user only). */
    static String userDay(String cte, String source) {
        return cte + " AS (INSERT INTO llm_calls_user_1d AS r (bucket, tenant,"
                + " user_id, model, provider, service_name, requests, input_tokens, output_tokens, cost_usd)"
                + " SELECT date_trunc('day', time), tenant, user_id, model, provider, service_name, count(*),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cost_usd), 0)"
                + " FROM " + source + " WHERE user_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
                + " ON CONFLICT" + USER_DAY_KEY + " DO UPDATE SET requests = r.requests + EXCLUDED.requests,"
                + " input_tokens = r.input_tokens + EXCLUDED.input_tokens,"
                + " output_tokens = r.output_tokens + EXCLUDED.output_tokens, cost_usd = r.cost_usd + EXCLUDED.cost_usd)";
    }
}
