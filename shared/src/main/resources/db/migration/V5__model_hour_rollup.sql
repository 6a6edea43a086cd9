-- An hourly rollup per tenant x model x provider x service, without the user dimension. The V4 rollups are keyed by
-- user as well, so with thousands of active users they are nearly as large as llm_calls itself; the aggregate
-- endpoints (cost by model, spend windows, error trends) read this one: 30 days are at most 720 rows per
-- model/provider/service. Same maintenance as V4: writer-maintained table (in the statement that inserts the calls,
-- counting only rows actually inserted; recompute applies cost deltas) or a TimescaleDB continuous aggregate with
-- real-time aggregation, so the not yet materialised tail is still counted.

DO $migration$
DECLARE
    timescale constant boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
        AND coalesce(current_setting('observatory.timescaledb', true), 'auto') <> 'off';
BEGIN
    IF NOT timescale THEN
        CREATE TABLE llm_calls_model_1h (
            bucket                 timestamptz     NOT NULL,
            tenant                 text            NOT NULL,
            model                  text,
            provider               text,
            service_name           text            NOT NULL,
            requests               bigint          NOT NULL,
            input_tokens           bigint          NOT NULL,
            output_tokens          bigint          NOT NULL,
            cache_read_tokens      bigint          NOT NULL,
            cache_write_tokens     bigint          NOT NULL,
            reasoning_tokens       bigint          NOT NULL,
            cost_usd               numeric(24, 12) NOT NULL,
            unpriced               bigint          NOT NULL,
            provided_cost_requests bigint          NOT NULL,
            cost_disagreements     bigint          NOT NULL,
            errors                 bigint          NOT NULL,
            duration_ns_sum        bigint          NOT NULL,
            duration_ns_max        bigint          NOT NULL,
            CONSTRAINT llm_calls_model_1h_key UNIQUE NULLS NOT DISTINCT (bucket, tenant, model, provider, service_name)
        );
        CREATE INDEX llm_calls_model_1h_tenant_bucket ON llm_calls_model_1h (tenant, bucket);
        INSERT INTO llm_calls_model_1h
        SELECT date_trunc('hour', time), tenant, model, provider, service_name, count(*),
               coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0),
               coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0),
               count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE cost_source = 'provided'),
               count(*) FILTER (WHERE cost_disagrees), count(*) FILTER (WHERE status_code = 2),
               sum(duration_ns), max(duration_ns)
        FROM llm_calls GROUP BY 1, 2, 3, 4, 5;
    ELSE
        EXECUTE $cagg$
            CREATE MATERIALIZED VIEW llm_calls_model_1h
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(INTERVAL '1 hour', time) AS bucket, tenant, model, provider, service_name,
                   count(*) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,
                   coalesce(sum(output_tokens), 0) AS output_tokens,
                   coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
                   coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
                   coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
                   sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced,
                   sum(CASE WHEN cost_source = 'provided' THEN 1 ELSE 0 END) AS provided_cost_requests,
                   sum(CASE WHEN cost_disagrees THEN 1 ELSE 0 END) AS cost_disagreements,
                   sum(CASE WHEN status_code = 2 THEN 1 ELSE 0 END) AS errors,
                   sum(duration_ns) AS duration_ns_sum, max(duration_ns) AS duration_ns_max
            FROM llm_calls
            GROUP BY time_bucket(INTERVAL '1 hour', time), tenant, model, provider, service_name
            WITH NO DATA
        $cagg$;
        PERFORM add_continuous_aggregate_policy('llm_calls_model_1h', start_offset => INTERVAL '3 days',
                                                end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '15 minutes');
    END IF;
END
$migration$;

-- "Most expensive requests" walks this index from the top instead of sorting every call in the window.
CREATE INDEX llm_calls_tenant_cost ON llm_calls (tenant, cost_usd DESC) WHERE cost_usd IS NOT NULL;
