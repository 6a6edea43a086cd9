-- V18: spans and llm_calls are found by trace through a non-unique (tenant, trace_id) index instead of their unique
-- (tenant, trace_id, span_id, time) key (issue 22).
--
-- Since V14 the idempotency key lives in span_keys and the writer stores only rows whose key it claimed, so the
-- tables' own unique keys enforced nothing more: they only served lookups by trace. As unique random-key B-trees as
-- large as the data they were the costliest index of each table (benchmarks/row-costs: a span row 30 µs with it,
-- 22 µs with this index; an LLM-call row 53 and 45). The (tenant, trace_id) index holds the spans of a trace as one
-- deduplicated entry per leaf page, so it is several times smaller. What a unique key guaranteed is now a rule of
-- enrich's PartitionMaintenance: a key is deleted only once no chunk or partition of spans or llm_calls can hold a
-- row of its time, so every stored row keeps its key.
--
-- On a large database this builds two indexes over every chunk or partition (compressed TimescaleDB chunks
-- included); the old keys are dropped first.
DO $migration$
DECLARE
    t record;
    pk name;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('spans'), ('llm_calls')) AS v(name)
    LOOP
        SELECT conname INTO pk FROM pg_constraint WHERE conrelid = t.name::regclass AND contype = 'p';
        IF pk IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t.name, pk);
        END IF;
        EXECUTE format('CREATE INDEX %I ON %I (tenant, trace_id)', t.name || '_tenant_trace', t.name);
    END LOOP;
END
$migration$;
