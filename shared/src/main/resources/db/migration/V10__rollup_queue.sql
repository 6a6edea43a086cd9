-- V10: the writer-maintained rollups are brought up to date by one asynchronous drainer instead of in every batch
-- statement (docs/proposals/async-rollups.md, issue 10).
--
-- llm_call_rollup_queue holds the rollup contributions of calls that are stored but not yet in the rollups: the
-- statement that inserts a batch's calls appends one row per call it actually inserted (same transaction, so a call
-- and its contribution commit together and a retried batch adds nothing), with the columns the rollups are made of,
-- named as in llm_calls. The enrich drainer (RollupDrainer) deletes rows from it and adds them to the rollups in one
-- transaction, so each contribution is counted exactly once whatever fails in between. The query service adds the
-- queued rows of a window's rollup-served part to the rollups, so answers stay exact before a drain.
--
-- A re-pricing (recompute) adjusts the rollups by each call's cost difference, whether or not the call is drained
-- yet: a queued row keeps the cost the call was inserted with, so rollup + queue is the current cost either way.
--
-- No index (appends only; the drainer and the queries read the few rows a second of traffic leaves).
CREATE TABLE llm_call_rollup_queue (
    enqueued_at        timestamptz     NOT NULL DEFAULT now(),
    time               timestamptz     NOT NULL,
    tenant             text            NOT NULL,
    model              text,
    provider           text,
    service_name       text            NOT NULL,
    user_id            text,
    input_tokens       bigint,
    output_tokens      bigint,
    cache_read_tokens  bigint,
    cache_write_tokens bigint,
    reasoning_tokens   bigint,
    cost_usd           numeric(24, 12),
    cost_source        text,
    cost_disagrees     boolean,
    status_code        smallint,
    duration_ns        bigint,
    tokens_per_second  double precision
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
        autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000);

-- The rebuild (tests, benchmarks, repairs) recomputes the rollups from every stored call, so it also empties the
-- queue, under the drainer's advisory lock so no drain runs between the two.
DO $migration$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'rebuild_query_rollups') THEN
        ALTER FUNCTION rebuild_query_rollups(text) RENAME TO rebuild_query_rollups_from_calls;
        CREATE FUNCTION rebuild_query_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM pg_advisory_xact_lock(7310303948411043189); -- RollupDrainer.LOCK
            DELETE FROM llm_call_rollup_queue WHERE p_tenant IS NULL OR tenant = p_tenant;
            PERFORM rebuild_query_rollups_from_calls(p_tenant);
        END
        $fn$;
    END IF;
END
$migration$;
