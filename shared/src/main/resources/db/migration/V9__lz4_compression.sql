-- V9: large values (span attributes with message content, events, log bodies) are compressed with lz4 instead of
-- PostgreSQL's default pglz. Spans carrying prompts and answers pass the 2 KB TOAST threshold and were compressed on
-- every insert: pglz_compress was the largest single cost of PostgreSQL under load (10 % of its CPU in a perf
-- profile of benchmarks/pipeline), and a COPY of the same span rows ran 39 % faster with lz4 (30,300 → 42,100 rows/s,
-- 6 % larger on disk). Existing values stay as they are; new partitions copy the setting (INCLUDING COMPRESSION).
-- A server built without lz4 keeps pglz: the migration then changes nothing.
DO $migration$
DECLARE
    col record;
BEGIN
    BEGIN
        EXECUTE format('ALTER DATABASE %I SET default_toast_compression = %L', current_database(), 'lz4');
    EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'default_toast_compression left as it is: %', SQLERRM;
    END;
    FOR col IN
        SELECT c.oid::regclass AS tbl, a.attname
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND a.atttypid IN ('jsonb'::regtype, 'text'::regtype)
          AND (c.relname IN ('spans', 'logs', 'metric_points')
               OR c.oid IN (SELECT i.inhrelid FROM pg_inherits i
                            WHERE i.inhparent IN ('spans'::regclass, 'logs'::regclass, 'metric_points'::regclass)))
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET COMPRESSION lz4', col.tbl, col.attname);
        EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
            RAISE NOTICE 'lz4 not available (%), keeping pglz', SQLERRM;
            RETURN;
        END;
    END LOOP;
END
$migration$;
