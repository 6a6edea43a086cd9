-- The idempotency key of spans and LLM calls, (tenant, trace_id, span_id) whatever the span's time. The time-series
-- tables' unique keys must hold their time column (native partitions and hypertables both require it), so a span
-- re-sent with another start time passed them. This plain table holds the key alone: the writer (enrich's
-- TraceRepository) claims a span's key in the statement that stores it and stores only spans and calls whose key it
-- claimed. A key is claimed per table (kind 's': the spans row, 'c': the llm_calls row), since with tail sampling a
-- call is stored at once and its span later, when the trace is kept. Enrich's PartitionMaintenance deletes keys older
-- than the longest raw retention.
CREATE TABLE span_keys (
    tenant   text        NOT NULL,
    trace_id bytea       NOT NULL,
    span_id  bytea       NOT NULL,
    kind     "char"      NOT NULL CHECK (kind IN ('s', 'c')),
    time     timestamptz NOT NULL,
    PRIMARY KEY (tenant, trace_id, span_id, kind)
);
CREATE INDEX span_keys_time ON span_keys (time);

-- A span or call stored twice before this version (same key, another time): the earliest stays, and the rollups are
-- rebuilt from what remains when a call went.
DO $migration$
DECLARE
    removed bigint;
BEGIN
    DELETE FROM spans s USING spans e
    WHERE e.tenant = s.tenant AND e.trace_id = s.trace_id AND e.span_id = s.span_id AND e.start_time < s.start_time;
    DELETE FROM llm_calls c USING llm_calls e
    WHERE e.tenant = c.tenant AND e.trace_id = c.trace_id AND e.span_id = c.span_id AND e.time < c.time;
    GET DIAGNOSTICS removed = ROW_COUNT;
    IF removed > 0 THEN
        RAISE NOTICE 'observatory: % LLM calls stored twice removed, rebuilding the rollups', removed;
        PERFORM rebuild_query_rollups(NULL);
    END IF;
END
$migration$;

INSERT INTO span_keys (tenant, trace_id, span_id, kind, time)
SELECT tenant, trace_id, span_id, 's', min(start_time) FROM spans GROUP BY tenant, trace_id, span_id;
INSERT INTO span_keys (tenant, trace_id, span_id, kind, time)
SELECT tenant, trace_id, span_id, 'c', min(time) FROM llm_calls GROUP BY tenant, trace_id, span_id;
