-- V11: per-minute model rollups, so windows shorter than an hour (the LLM alert rules' 15-minute windows, "the last
-- 15 minutes" on a dashboard) and the minutes at the edges of longer windows are read from rollups instead of raw
-- calls (docs/proposals/async-rollups.md, point 6):
--   llm_calls_model_1m     the V5/V6 model rollup per minute;
--   llm_calls_latency_1m   the V6 latency histograms per minute.
-- They are only per model (the per-user rollups stay hourly and daily; user activity reads raw rows for minutes).
-- The rollup drainer maintains them with the others on both layouts (two more upserts per drain, of a few rows
-- each: one per model and minute) and recompute moves their costs.
-- They are kept as long as the raw calls (retention.llm-calls): past that a window's raw edges are gone anyway.
DO $migration$
BEGIN
    CREATE TABLE llm_calls_latency_1m (LIKE llm_calls_latency_1h INCLUDING DEFAULTS);
    ALTER TABLE llm_calls_latency_1m ADD CONSTRAINT llm_calls_latency_1m_key
        UNIQUE NULLS NOT DISTINCT (tenant, bucket, model, provider, service_name);
    CREATE TABLE llm_calls_model_1m (LIKE llm_calls_model_1h INCLUDING DEFAULTS);
    ALTER TABLE llm_calls_model_1m ADD CONSTRAINT llm_calls_model_1m_key
        UNIQUE NULLS NOT DISTINCT (bucket, tenant, model, provider, service_name);
    CREATE INDEX llm_calls_model_1m_tenant_bucket ON llm_calls_model_1m (tenant, bucket);

    CREATE FUNCTION rebuild_minute_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        DELETE FROM llm_calls_model_1m WHERE p_tenant IS NULL OR tenant = p_tenant;
        INSERT INTO llm_calls_model_1m (bucket, tenant, model, provider, service_name, requests, input_tokens,
                                        output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
                                        cost_usd, unpriced, provided_cost_requests, cost_disagreements, errors,
                                        duration_ns_sum, duration_ns_max, tps_sum, tps_count)
        SELECT date_trunc('minute', time), tenant, model, provider, service_name, count(*),
               coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0),
               coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0),
               count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE cost_source = 'provided'),
               count(*) FILTER (WHERE cost_disagrees), count(*) FILTER (WHERE status_code = 2), sum(duration_ns),
               max(duration_ns), coalesce(sum(tokens_per_second), 0), count(tokens_per_second)
        FROM llm_calls WHERE p_tenant IS NULL OR tenant = p_tenant GROUP BY 1, 2, 3, 4, 5;
        DELETE FROM llm_calls_latency_1m WHERE p_tenant IS NULL OR tenant = p_tenant;
        INSERT INTO llm_calls_latency_1m (bucket, tenant, model, provider, service_name, bins, counts)
        SELECT b, tenant, model, provider, service_name, array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
        FROM (SELECT date_trunc('minute', time) AS b, tenant, model, provider, service_name,
                     latency_bin(duration_ns) AS bin, count(*) AS n
              FROM llm_calls WHERE p_tenant IS NULL OR tenant = p_tenant GROUP BY 1, 2, 3, 4, 5, 6) g
        GROUP BY 1, 2, 3, 4, 5;
    END
    $fn$;
    -- The V10 rebuild (lock, empty the queue, rebuild from the calls) also rebuilds the minutes.
    CREATE OR REPLACE FUNCTION rebuild_query_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        PERFORM pg_advisory_xact_lock(7310303948411043189); -- RollupDrainer.LOCK
        DELETE FROM llm_call_rollup_queue WHERE p_tenant IS NULL OR tenant = p_tenant;
        PERFORM rebuild_query_rollups_from_calls(p_tenant);
        PERFORM rebuild_minute_rollups(p_tenant);
    END
    $fn$;
    PERFORM rebuild_minute_rollups(NULL); -- backfill
END
$migration$;
