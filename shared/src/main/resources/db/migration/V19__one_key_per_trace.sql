-- V19: one idempotency key row per trace instead of one per span (issue 22).
--
-- V17's key row per span was a random (tenant, trace_id, span_id) B-tree entry per span, the costliest row the write
-- path stored after the span itself (benchmarks/row-costs). A trace's spans mostly arrive together (an SDK exports
-- the spans that ended in the same few seconds), so a key per trace holding the span ids whose rows are stored
-- claims a batch's four-span trace with one entry instead of four. The writer (enrich's TraceRepository) claims with
-- ON CONFLICT DO UPDATE: a new trace key, or one lacking a row the batch brings, is written and returned with the span
-- ids this statement newly claimed; a key that has every row the batch brings is left alone (no update, not
-- returned). spans_claimed / calls_claimed hold what an update added (PostgreSQL 15's RETURNING sees only the new
-- row); an insert leaves them NULL, meaning everything the row holds. Concurrent claims of one trace wait for each
-- other (the row lock) and the later one sees what the earlier stored. time is the latest of the trace's stored rows'
-- times: maintenance deletes a key only once no chunk or partition can hold a row of that time.
CREATE TABLE trace_keys (
    tenant        text        NOT NULL,
    trace_id      bytea       NOT NULL,
    time          timestamptz NOT NULL,
    spans         bytea[]     NOT NULL,
    calls         bytea[]     NOT NULL,
    spans_claimed bytea[],
    calls_claimed bytea[],
    PRIMARY KEY (tenant, trace_id)
);

INSERT INTO trace_keys (tenant, trace_id, time, spans, calls)
SELECT tenant, trace_id, max(time), coalesce(array_agg(span_id) FILTER (WHERE span_stored), '{}'),
       coalesce(array_agg(span_id) FILTER (WHERE call_stored), '{}')
FROM span_keys GROUP BY tenant, trace_id;

DROP TABLE span_keys;
CREATE INDEX trace_keys_time ON trace_keys (time);
