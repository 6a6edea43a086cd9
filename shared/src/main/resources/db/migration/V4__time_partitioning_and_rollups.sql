-- Time-series tables become time-partitioned: TimescaleDB hypertables (daily chunks, compression after 2 days) when
-- the timescaledb extension is usable, native daily range partitions with a default partition otherwise. Unique keys
-- gain the time column, as both schemes require; that time is derived from the data itself, so a retried batch still
-- hits the same key. Retention is run by enrich's PartitionMaintenance (a TimescaleDB retention policy, or dropping
-- native partitions), configurable. The rollups are tables the writer maintains, on both layouts.
-- "Usable" means created in this database already, or its library loaded in this server (shared_preload_libraries:
-- its GUCs are then registered as integers, not placeholders). Installed but not preloaded is not usable: CREATE
-- EXTENSION would fail and close the connection. Set the database parameter observatory.timescaledb = 'off' to force
-- the native path where the extension is usable.

DO $migration$
DECLARE
    timescale constant boolean := (EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
            OR EXISTS (SELECT 1 FROM pg_settings WHERE name = 'timescaledb.max_background_workers'
                       AND vartype = 'integer'))
        AND coalesce(current_setting('observatory.timescaledb', true), 'auto') <> 'off';
    t record;
BEGIN
    IF timescale THEN
        RAISE NOTICE 'observatory: TimescaleDB usable, creating hypertables';
        CREATE EXTENSION IF NOT EXISTS timescaledb;
    ELSE
        RAISE NOTICE 'observatory: TimescaleDB not usable here, using native range partitioning';
    END IF;

    FOR t IN SELECT * FROM (VALUES
            ('llm_calls', 'time', 'tenant, trace_id, span_id'),
            ('spans', 'start_time', 'tenant, trace_id, span_id'),
            ('metric_points', 'time', 'tenant, name, series_id, time_unix_nano'),
            ('logs', 'time', 'tenant, log_id')) AS v(name, time_column, key_columns)
    LOOP
        IF timescale THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t.name, t.name || '_pkey');
            EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s, %I)', t.name, t.key_columns, t.time_column);
            PERFORM create_hypertable(t.name::regclass, t.time_column::name, chunk_time_interval => INTERVAL '1 day',
                                      migrate_data => true);
            EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                           'timescaledb.compress_orderby = %L)', t.name, 'tenant', t.time_column || ' DESC');
            PERFORM add_compression_policy(t.name::regclass, INTERVAL '2 days');
        ELSE
            EXECUTE format('ALTER TABLE %I RENAME TO %I', t.name, t.name || '_v3');
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING COMMENTS) PARTITION BY RANGE (%I)',
                           t.name, t.name || '_v3', t.time_column);
            EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s, %I)', t.name, t.key_columns, t.time_column);
            EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t.name || '_default', t.name);
            EXECUTE format('INSERT INTO %I SELECT * FROM %I', t.name, t.name || '_v3');
            EXECUTE format('DROP TABLE %I', t.name || '_v3');
        END IF;
    END LOOP;

    IF NOT timescale THEN
        -- The secondary indexes went with the old tables; on a partitioned table they apply to every partition.
        CREATE INDEX llm_calls_tenant_time ON llm_calls (tenant, time);
        CREATE INDEX llm_calls_tenant_model_time ON llm_calls (tenant, model, time);
        CREATE INDEX llm_calls_tenant_user_time ON llm_calls (tenant, user_id, time) WHERE user_id IS NOT NULL;
        CREATE INDEX spans_tenant_start_time ON spans (tenant, start_time);
        CREATE INDEX spans_tenant_service_start_time ON spans (tenant, service_name, start_time);
        CREATE INDEX metric_points_tenant_name_time ON metric_points (tenant, name, time);
        CREATE INDEX metric_points_tenant_genai ON metric_points (tenant, gen_ai_model, time) WHERE gen_ai_model IS NOT NULL;
        CREATE INDEX logs_tenant_time ON logs (tenant, time);
        CREATE INDEX logs_tenant_trace ON logs (tenant, trace_id) WHERE trace_id IS NOT NULL;
    END IF;

    -- Rollups the query API needs, per minute and per hour x tenant x model x provider x service x user.
    -- Maintained by the writer in the same transaction as the calls it inserts (only rows actually inserted are
    -- counted, so retried batches add nothing) and adjusted by recompute.
    CREATE TABLE llm_calls_1m (
        bucket            timestamptz    NOT NULL,
        tenant            text           NOT NULL,
        model             text,
        provider          text,
        service_name      text           NOT NULL,
        user_id           text,
        requests          bigint         NOT NULL,
        input_tokens      bigint         NOT NULL,
        output_tokens     bigint         NOT NULL,
        cache_read_tokens bigint         NOT NULL,
        cost_usd          numeric(24, 12) NOT NULL,
        unpriced          bigint         NOT NULL,
        errors            bigint         NOT NULL,
        duration_ns_sum   bigint         NOT NULL,
        duration_ns_max   bigint         NOT NULL,
        CONSTRAINT llm_calls_1m_key UNIQUE NULLS NOT DISTINCT (bucket, tenant, model, provider, service_name, user_id)
    );
    CREATE TABLE llm_calls_1h (LIKE llm_calls_1m INCLUDING DEFAULTS);
    ALTER TABLE llm_calls_1h ADD CONSTRAINT llm_calls_1h_key
        UNIQUE NULLS NOT DISTINCT (bucket, tenant, model, provider, service_name, user_id);
    CREATE INDEX llm_calls_1m_tenant_bucket ON llm_calls_1m (tenant, bucket);
    CREATE INDEX llm_calls_1h_tenant_bucket ON llm_calls_1h (tenant, bucket);
    INSERT INTO llm_calls_1m SELECT date_trunc('minute', time), tenant, model, provider, service_name, user_id,
           count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
           coalesce(sum(cache_read_tokens), 0), coalesce(sum(cost_usd), 0),
           sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN status_code = 2 THEN 1 ELSE 0 END),
           sum(duration_ns), max(duration_ns)
    FROM llm_calls GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO llm_calls_1h SELECT date_trunc('hour', bucket), tenant, model, provider, service_name, user_id,
           sum(requests), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cost_usd),
           sum(unpriced), sum(errors), sum(duration_ns_sum), max(duration_ns_max)
    FROM llm_calls_1m GROUP BY 1, 2, 3, 4, 5, 6;
END
$migration$;
