-- Rollups that answer the 30-day aggregate endpoints without scanning raw rows (issue 6):
--   llm_calls_model_1d               the V5 per-model rollup per UTC day (V5's hourly one also gains the
--                                    tokens/s sum and count, for model comparison's average tokens/s);
--   llm_calls_latency_1h / _1d       latency histograms per tenant x model x provider x service: the non-empty
--                                    bins (ascending) and their counts as two arrays, bins log-spaced 8 per
--                                    doubling of the duration in ms (the OpenTelemetry exponential histogram at
--                                    scale 3: bin i holds durations in (2^(i/8), 2^((i+1)/8)] ms, so a percentile
--                                    read from them is within 4.5 %); one row per key and bucket, so 30 days of
--                                    them are a few thousand rows whatever the latency spread;
--   llm_calls_user_1d                per user per day, for user activity over weeks (the V4 per-user hourly rollup
--                                    answers the partial days at a window's edges).
-- The writer maintains them on both layouts, like V4/V5, and recompute moves their costs;
-- rebuild_query_rollups(tenant) recomputes them and the V4/V5 ones from llm_calls (tests, benchmarks, repairs; NULL
-- for every tenant).

-- The histogram bin of a duration; the one definition used by the writer, the rollups and the query service.
CREATE FUNCTION latency_bin(duration_ns bigint) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE WHEN duration_ns <= 0 THEN -32768
                 ELSE greatest(-32767, least(32767, ceil(ln(duration_ns / 1e6::float8) / ln(2::float8) * 8) - 1))
            END)::smallint
$$;

-- Adds two sparse histograms (bins ascending, counts alongside): the writer's upsert and the rebuild merge with it.
CREATE FUNCTION latency_bins_merge(a_bins smallint[], a_counts bigint[], b_bins smallint[], b_counts bigint[],
                                   OUT bins smallint[], OUT counts bigint[])
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
    FROM (SELECT bin, sum(n)::bigint AS n
          FROM (SELECT * FROM unnest(a_bins, a_counts) UNION ALL SELECT * FROM unnest(b_bins, b_counts)) u(bin, n)
          GROUP BY bin) g
$$;

CREATE TABLE llm_calls_latency_1h (
    bucket       timestamptz NOT NULL,
    tenant       text        NOT NULL,
    model        text,
    provider     text,
    service_name text        NOT NULL,
    bins         smallint[]  NOT NULL,
    counts       bigint[]    NOT NULL,
    CONSTRAINT llm_calls_latency_1h_key UNIQUE NULLS NOT DISTINCT (tenant, bucket, model, provider, service_name)
);
CREATE TABLE llm_calls_latency_1d (LIKE llm_calls_latency_1h INCLUDING DEFAULTS);
ALTER TABLE llm_calls_latency_1d ADD CONSTRAINT llm_calls_latency_1d_key
    UNIQUE NULLS NOT DISTINCT (tenant, bucket, model, provider, service_name);

DO $migration$
BEGIN
    ALTER TABLE llm_calls_model_1h ADD COLUMN tps_sum double precision NOT NULL DEFAULT 0,
                                   ADD COLUMN tps_count bigint NOT NULL DEFAULT 0;
    CREATE TABLE llm_calls_model_1d (LIKE llm_calls_model_1h INCLUDING DEFAULTS);
    ALTER TABLE llm_calls_model_1d ADD CONSTRAINT llm_calls_model_1d_key
        UNIQUE NULLS NOT DISTINCT (bucket, tenant, model, provider, service_name);
    CREATE INDEX llm_calls_model_1d_tenant_bucket ON llm_calls_model_1d (tenant, bucket);

    CREATE TABLE llm_calls_user_1d (
        bucket        timestamptz     NOT NULL,
        tenant        text            NOT NULL,
        user_id       text            NOT NULL,
        model         text,
        provider      text,
        service_name  text            NOT NULL,
        requests      bigint          NOT NULL,
        input_tokens  bigint          NOT NULL,
        output_tokens bigint          NOT NULL,
        cost_usd      numeric(24, 12) NOT NULL,
        CONSTRAINT llm_calls_user_1d_key UNIQUE NULLS NOT DISTINCT (tenant, bucket, user_id, model, provider, service_name)
    );

    CREATE FUNCTION rebuild_query_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
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
        FOREACH unit IN ARRAY ARRAY['minute', 'hour'] LOOP
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
    -- Backfill (V4's per-user rollups are rebuilt too: same result, one definition).
    PERFORM rebuild_query_rollups(NULL);
END
$migration$;
