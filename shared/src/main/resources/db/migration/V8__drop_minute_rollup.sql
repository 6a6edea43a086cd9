-- V8: the per-minute, per-user rollup llm_calls_1m is dropped.
-- Nothing read it: the query API answers from the model rollups (V5/V6), the hourly per-user rollup (V4
-- llm_calls_1h), the daily per-user rollup and raw edges; alerting asks the query API. Yet without TimescaleDB the
-- writer upserted it in every batch, about one row per LLM call (its key includes the minute and the user), in the
-- statement that inserts the calls.
-- Measured by benchmarks/pipeline (docs/benchmarks.md). rebuild_query_rollups no longer rebuilds it.
DO $migration$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = 'llm_calls_1m' AND relkind = 'm') THEN
        DROP MATERIALIZED VIEW llm_calls_1m;
    ELSE
        DROP TABLE IF EXISTS llm_calls_1m;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'rebuild_query_rollups') THEN
        CREATE OR REPLACE FUNCTION rebuild_query_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            unit text;
        BEGIN
            FOREACH unit IN ARRAY ARRAY['hour', 'day'] LOOP
                EXECUTE format('DELETE FROM %I WHERE $1 IS NULL OR tenant = $1', 'llm_calls_model_1' || left(unit, 1))
                    USING p_tenant;
                EXECUTE format($sql$
                    INSERT INTO %I (bucket, tenant, model, provider, service_name, requests, input_tokens, output_tokens,
                                    cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced,
                                    provided_cost_requests, cost_disagreements, errors, duration_ns_sum,
                                    duration_ns_max, tps_sum, tps_count)
                    SELECT date_trunc(%L, time), tenant, model, provider, service_name, count(*),
                           coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                           coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0),
                           coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0),
                           count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE cost_source = 'provided'),
                           count(*) FILTER (WHERE cost_disagrees), count(*) FILTER (WHERE status_code = 2),
                           sum(duration_ns), max(duration_ns), coalesce(sum(tokens_per_second), 0),
                           count(tokens_per_second)
                    FROM llm_calls WHERE $1 IS NULL OR tenant = $1 GROUP BY 1, 2, 3, 4, 5
                    $sql$, 'llm_calls_model_1' || left(unit, 1), unit) USING p_tenant;
                EXECUTE format('DELETE FROM %I WHERE $1 IS NULL OR tenant = $1', 'llm_calls_latency_1' || left(unit, 1))
                    USING p_tenant;
                EXECUTE format($sql$
                    INSERT INTO %I (bucket, tenant, model, provider, service_name, bins, counts)
                    SELECT b, tenant, model, provider, service_name, array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
                    FROM (SELECT date_trunc(%L, time) AS b, tenant, model, provider, service_name,
                                 latency_bin(duration_ns) AS bin, count(*) AS n
                          FROM llm_calls WHERE $1 IS NULL OR tenant = $1 GROUP BY 1, 2, 3, 4, 5, 6) g
                    GROUP BY 1, 2, 3, 4, 5
                    $sql$, 'llm_calls_latency_1' || left(unit, 1), unit) USING p_tenant;
            END LOOP;
            FOREACH unit IN ARRAY ARRAY['hour'] LOOP
                EXECUTE format('DELETE FROM %I WHERE $1 IS NULL OR tenant = $1', 'llm_calls_1' || left(unit, 1))
                    USING p_tenant;
                EXECUTE format($sql$
                    INSERT INTO %I (bucket, tenant, model, provider, service_name, user_id, requests, input_tokens,
                                    output_tokens, cache_read_tokens, cost_usd, unpriced, errors, duration_ns_sum,
                                    duration_ns_max)
                    SELECT date_trunc(%L, time), tenant, model, provider, service_name, user_id, count(*),
                           coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                           coalesce(sum(cache_read_tokens), 0), coalesce(sum(cost_usd), 0),
                           count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE status_code = 2),
                           sum(duration_ns), max(duration_ns)
                    FROM llm_calls WHERE $1 IS NULL OR tenant = $1 GROUP BY 1, 2, 3, 4, 5, 6
                    $sql$, 'llm_calls_1' || left(unit, 1), unit) USING p_tenant;
            END LOOP;
            DELETE FROM llm_calls_user_1d WHERE p_tenant IS NULL OR tenant = p_tenant;
            INSERT INTO llm_calls_user_1d (bucket, tenant, user_id, model, provider, service_name, requests,
                                           input_tokens, output_tokens, cost_usd)
            SELECT date_trunc('day', time), tenant, user_id, model, provider, service_name, count(*),
                   coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cost_usd), 0)
            FROM llm_calls WHERE user_id IS NOT NULL AND (p_tenant IS NULL OR tenant = p_tenant)
            GROUP BY 1, 2, 3, 4, 5, 6;
        END
        $fn$;
    END IF;
END
$migration$;
