-- V19: one idempotency key row per trace instead of one per span (issue 22).
--
-- V17's key row per span was a random (tenant, trace_id, span_id) B-tree entry per span, the costliest row the write
-- path stored after the span itself (benchmarks/row-costs). A trace's spans mostly arrive together (an SDK exports
-- the spans that ended in the same few seconds), so a key per trace listing the span ids whose rows are stored
-- claims a batch's four-span trace with one entry instead of four. The writer (enrich's TraceRepository) claims with
-- ON CONFLICT DO UPDATE: a new trace key, or one lacking a row the batch brings, is written and returned with the span
-- ids this statement newly claimed; a key that has every row the batch brings is left alone (no update, not
-- returned). spans_claimed / calls_claimed hold what an update added (PostgreSQL 15's RETURNING sees only the new
-- row); an insert leaves them NULL, meaning everything the row holds. Concurrent claims of one trace wait for each
-- other (the row lock) and the later one sees what the earlier stored. time is at least the latest of the trace's
-- stored rows' times: maintenance deletes a key only once no chunk or partition can hold a row of that time.
--
-- A key's lists stop growing at 256 ids each (overflow): each claim rewrites them, so a trace growing batch after batch
-- would cost its size squared. Span ids an overflowing trace claims later have a key row each in span_key_overflow (V17's
-- per-span key), claimed under the trace key's row lock.
LOCK TABLE span_keys IN SHARE ROW EXCLUSIVE MODE; -- writers of the old schema wait, then fail retryably

CREATE TABLE trace_keys (
    tenant        text        NOT NULL,
    trace_id      bytea       NOT NULL,
    time          timestamptz NOT NULL,
    spans         bytea[]     NOT NULL,
    calls         bytea[]     NOT NULL,
    spans_claimed bytea[],
    calls_claimed bytea[],
    overflow      boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (tenant, trace_id)
);
COMMENT ON COLUMN trace_keys.overflow IS 'the lists hold 256 ids or more: later span ids are keyed in span_key_overflow';

-- V17's per-span key, with its primary key and time index.
CREATE TABLE span_key_overflow (LIKE span_keys INCLUDING ALL);

-- V17 gave a span's key the earlier of its rows' times; a key's time is now at least the latest row of its trace,
-- read from the rows (one pass over each table).
INSERT INTO trace_keys (tenant, trace_id, time, spans, calls, overflow)
SELECT k.tenant, k.trace_id, greatest(k.time, r.time), spans, calls,
       cardinality(spans) >= 256 OR cardinality(calls) >= 256
FROM (SELECT tenant, trace_id, max(time) AS time,
             coalesce(array_agg(span_id) FILTER (WHERE span_stored), '{}') AS spans,
             coalesce(array_agg(span_id) FILTER (WHERE call_stored), '{}') AS calls
      FROM span_keys GROUP BY tenant, trace_id) k
LEFT JOIN (SELECT tenant, trace_id, max(time) AS time
           FROM (SELECT tenant, trace_id, start_time AS time FROM spans
                 UNION ALL SELECT tenant, trace_id, time FROM llm_calls) rows
           GROUP BY tenant, trace_id) r ON r.tenant = k.tenant AND r.trace_id = k.trace_id;

DROP TABLE span_keys;
CREATE INDEX trace_keys_time ON trace_keys (time);
