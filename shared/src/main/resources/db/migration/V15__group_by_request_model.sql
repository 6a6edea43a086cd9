-- V15: a call is grouped under the model the application asked for (request model, else response model), no longer
-- under the response model. A failed call has no response model: an app that asked for gpt-4o-mini five times and
-- got one 429 saw four calls under gpt-4o-mini-2024-07-18 (0 % errors) and one under gpt-4o-mini (100 %). The
-- response model stays in its own column (and prices the call); llm_calls.model, which every rollup, endpoint,
-- alert rule and dashboard keys on, is rewritten to the new rule, and the rollups are rebuilt from the calls.
-- metric_points.gen_ai_model follows the same rule (it has no request-model column: the point's attributes hold it).
--
-- On TimescaleDB the rows may sit in compressed chunks: TimescaleDB decompresses the batches an UPDATE touches (they
-- are compressed again by the compression policy), and its per-transaction limit on decompressed rows is lifted for
-- this one transaction. The rebuild runs only when a row changed (it reads every call).
DO $migration$
DECLARE
    calls_changed   bigint;
    metrics_changed bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true);
    END IF;

    UPDATE llm_calls SET model = request_model
    WHERE request_model IS NOT NULL AND model IS DISTINCT FROM request_model;
    GET DIAGNOSTICS calls_changed = ROW_COUNT;

    UPDATE metric_points SET gen_ai_model = attributes ->> 'gen_ai.request.model'
    WHERE gen_ai_model IS NOT NULL AND attributes ? 'gen_ai.request.model'
      AND gen_ai_model IS DISTINCT FROM attributes ->> 'gen_ai.request.model';
    GET DIAGNOSTICS metrics_changed = ROW_COUNT;
    RAISE NOTICE 'observatory: % LLM calls and % GenAI metric points regrouped under their request model',
        calls_changed, metrics_changed;

    IF calls_changed > 0 THEN
        PERFORM rebuild_query_rollups(NULL);
    END IF;
END
$migration$;
