-- V12: the per-user rollups (V4 llm_calls_1h, V6 llm_calls_user_1d) are drained in a second, slower stage.
--
-- With the V10 queue the drainer upserted all eight rollups every second. The model rollups have a few rows per
-- drain (one per model and minute/hour/day), but the per-user ones about one row per call: with thousands of users a
-- second of traffic rarely holds two calls of the same user, model and hour, so batching saved them nothing and they
-- were ~70 % of the drain's time (docs/benchmarks.md, fourth round). Drained every 30 seconds instead, a user's calls
-- of that half minute add up to one row per rollup.
--
-- llm_call_user_rollup_queue holds the per-user contributions of calls that are in the model rollups but not yet in
-- the per-user ones: the every-second drain deletes a call from llm_call_rollup_queue, adds it to the model rollups
-- and appends it here, in one transaction; the user stage of the drainer (RollupDrainer, its own advisory lock)
-- deletes rows from here and adds them to the per-user rollups, in one transaction. So at any snapshot a call is in
-- exactly one of: the V10 queue, this queue, the per-user rollups; user activity reads all three in one statement.
-- Like the V10 queue a row keeps the cost its call was inserted with, and recompute moves the per-user rollups by
-- each call's cost difference whichever stage it is in.
--
-- No index (appends only, read in full by the user stage and by the user-activity query's rollup-served range).
CREATE TABLE llm_call_user_rollup_queue (
    enqueued_at       timestamptz     NOT NULL DEFAULT now(),
    time              timestamptz     NOT NULL,
    tenant            text            NOT NULL,
    model             text,
    provider          text,
    service_name      text            NOT NULL,
    user_id           text,
    input_tokens      bigint,
    output_tokens     bigint,
    cache_read_tokens bigint,
    cost_usd          numeric(24, 12),
    status_code       smallint,
    duration_ns       bigint
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
        autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000);

-- The rebuild takes both stages' locks (model stage first, as the drainer's drainAll does) and empties both queues.
DO $migration$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'rebuild_minute_rollups') THEN
        CREATE OR REPLACE FUNCTION rebuild_query_rollups(p_tenant text) RETURNS void LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM pg_advisory_xact_lock(7310303948411043189); -- RollupDrainer.LOCK
            PERFORM pg_advisory_xact_lock(7310303948411043190); -- RollupDrainer.USER_LOCK
            DELETE FROM llm_call_rollup_queue WHERE p_tenant IS NULL OR tenant = p_tenant;
            DELETE FROM llm_call_user_rollup_queue WHERE p_tenant IS NULL OR tenant = p_tenant;
            PERFORM rebuild_query_rollups_from_calls(p_tenant);
            PERFORM rebuild_minute_rollups(p_tenant);
        END
        $fn$;
    END IF;
END
$migration$;
