-- An hourly rollup per tenant x model x provider x service, without the user dimension. The V4 rollups are keyed by
-- user as well, so with thousands of active users they are nearly as large as llm_calls itself; the aggregate
-- endpoints (cost by model, spend windows, error trends) read this one: 30 days are at most 720 rows per
-- model/provider/service. Same maintenance as V4: a writer-maintained table on both layouts (counting only rows
-- actually inserted; recompute applies cost deltas).

DO $migration$
BEGIN
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
END
$migration$;

-- "Most expensive requests" walks this index from the top instead of sorting every call in the window.
CREATE INDEX llm_calls_tenant_cost ON llm_calls (tenant, cost_usd DESC) WHERE cost_usd IS NOT NULL;
