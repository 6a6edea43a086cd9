-- V17: one idempotency key per span instead of one per stored row (issue 22).
--
-- V14 kept a key per table (kind 's' for the spans row, 'c' for the llm_calls row), so an LLM span stored with its
-- call claimed two random (tenant, trace_id, span_id) B-tree entries; each costs about as much as a span row
-- (benchmarks/row-costs). Now a span has one key row saying which of its rows are stored. The writer (enrich's
-- TraceRepository) claims what it stores with ON CONFLICT DO UPDATE: a new key, or a key that lacks a row the batch
-- brings (with tail sampling a call is stored at once and its span later, when the trace is kept), is written and
-- returned; a key that already has every row the batch brings is left alone (no update, not returned), so nothing is
-- stored twice. span_claimed / call_claimed are what the last claim of the key added: PostgreSQL 15's RETURNING sees
-- only the new row, so the statement records there what it newly claimed and reads it back. Concurrent claims of one
-- key wait for each other (the row lock) and the later one sees what the earlier stored.
CREATE TABLE span_keys_v17 (
    tenant       text        NOT NULL,
    trace_id     bytea       NOT NULL,
    span_id      bytea       NOT NULL,
    time         timestamptz NOT NULL,
    span_stored  boolean     NOT NULL,
    call_stored  boolean     NOT NULL,
    span_claimed boolean     NOT NULL,
    call_claimed boolean     NOT NULL,
    PRIMARY KEY (tenant, trace_id, span_id)
);

INSERT INTO span_keys_v17 (tenant, trace_id, span_id, time, span_stored, call_stored, span_claimed, call_claimed)
SELECT tenant, trace_id, span_id, min(time), bool_or(kind = 's'), bool_or(kind = 'c'), false, false
FROM span_keys GROUP BY tenant, trace_id, span_id;

DROP TABLE span_keys;
ALTER TABLE span_keys_v17 RENAME TO span_keys;
ALTER INDEX span_keys_v17_pkey RENAME TO span_keys_pkey;
CREATE INDEX span_keys_time ON span_keys (time);
