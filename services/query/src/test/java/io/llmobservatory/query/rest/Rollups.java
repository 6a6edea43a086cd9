package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;

/**
 * Tests insert LLM-call rows directly; in production the enrich writer maintains the rollups in the same statement
 * (its own tests check that what it writes equals this rebuild). This rebuilds every rollup from the raw rows with
 * the migration's SQL function.
 */
public final class Rollups {
    private Rollups() {
    }

    public static void rebuild(PostgresCluster pg) {
        pg.psql("SELECT rebuild_query_rollups(NULL)");
    }
}
