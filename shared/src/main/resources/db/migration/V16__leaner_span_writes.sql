-- V16: less work per stored span (issue 22).
--
-- 1. TimescaleDB's create_hypertable added an index on the time column alone to every hypertable (<table>_<time>_idx).
--    Every query of spans, logs and metric points filters by tenant first, which the (tenant, time) indexes serve;
--    there the time-only index was one more B-tree insert per row and served no query (chunk exclusion uses the
--    chunks' constraints, retention drops whole chunks). Dropped; the native layout never had it. llm_calls keeps
--    its own: a recompute over every tenant pages through the calls in time order.
-- 2. No statistics on the payload columns: autovacuum's ANALYZE of a fresh chunk detoasted and sorted every sampled
--    row's attributes, events and links (28.5 % of PostgreSQL's CPU in short runs, docs/benchmarks.md), and no query
--    plans on their distribution (they are read by key, or filtered by a containment the planner estimates without
--    them). The hypertables and native partitioned tables pass the setting to their chunks and partitions.
DO $migration$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('spans', 'start_time'), ('metric_points', 'time'), ('logs', 'time'))
                            AS v(name, time_column)
    LOOP
        EXECUTE format('DROP INDEX IF EXISTS %I', t.name || '_' || t.time_column || '_idx');
    END LOOP;
END
$migration$;

ALTER TABLE spans
    ALTER COLUMN attributes SET STATISTICS 0,
    ALTER COLUMN events SET STATISTICS 0,
    ALTER COLUMN links SET STATISTICS 0,
    ALTER COLUMN resource_attributes SET STATISTICS 0,
    ALTER COLUMN scope_attributes SET STATISTICS 0,
    ALTER COLUMN status_message SET STATISTICS 0;
ALTER TABLE logs
    ALTER COLUMN body SET STATISTICS 0,
    ALTER COLUMN attributes SET STATISTICS 0,
    ALTER COLUMN resource_attributes SET STATISTICS 0;
ALTER TABLE metric_points
    ALTER COLUMN attributes SET STATISTICS 0,
    ALTER COLUMN resource_attributes SET STATISTICS 0;
