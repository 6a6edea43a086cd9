package io.llmobservatory.enrich;

import io.llmobservatory.testkit.PostgresCluster;

import java.util.List;

/**
 * A rollup's rows of one tenant as text, to compare what the writer maintained with the SQL rebuild; and what waits
 * in the rollup queues.
 */
public final class RollupSnapshots {
    /** Every rollup enrich maintains (the same on both storage layouts). */
    public static final List<String> WRITER_ROLLUPS = List.of("llm_calls_1h", "llm_calls_model_1m", "llm_calls_model_1h",
            "llm_calls_model_1d", "llm_calls_latency_1m", "llm_calls_latency_1h", "llm_calls_latency_1d", "llm_calls_user_1d");

    /** The queue of calls not yet in any rollup (V10) and the user stage's queue (V12). */
    public static final String MODEL_QUEUE = "llm_call_rollup_queue";
    public static final String USER_QUEUE = "llm_call_user_rollup_queue";

    private RollupSnapshots() {
    }

    /**
     * Every row as JSON, sorted. The tokens/s sum is a double precision sum, whose last bits depend on the order the
     * calls were added in (batches and drains add them in another order than the rebuild): it is compared rounded to
     * nine decimals; every other column exactly.
     */
    public static String of(PostgresCluster pg, String table, String tenant) {
        return pg.psql(sql(table, tenant));
    }

    /** The query behind {@link #of}, for a connection of the caller's. */
    public static String sql(String table, String tenant) {
        return "SELECT string_agg(r, ';' ORDER BY r) FROM (SELECT (to_jsonb(t) - 'tps_sum')::text"
                + " || coalesce('|tps_sum=' || round((to_jsonb(t)->>'tps_sum')::numeric, 9), '') AS r FROM " + table
                + " t WHERE tenant = '" + tenant + "') s";
    }

    /** How many calls of the tenant wait in {@code queue}. */
    public static String queued(PostgresCluster pg, String queue, String tenant) {
        return pg.psql("SELECT count(*) FROM " + queue + " WHERE tenant = '" + tenant + "'");
    }
}
