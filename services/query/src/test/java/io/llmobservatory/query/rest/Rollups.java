package io.llmobservatory.query.rest;

import io.llmobservatory.testkit.PostgresCluster;

/**
 * Tests insert LLM-call rows directly; in production the enrich writer maintains the hourly model rollup in the same
 * statement (its own tests check rollup = raw). This rebuilds the rollup from the raw rows the same way.
 */
final class Rollups {
    private Rollups() {
    }

    static void rebuild(PostgresCluster pg) {
        pg.psql("DELETE FROM llm_calls_model_1h; INSERT INTO llm_calls_model_1h "
                + "SELECT date_trunc('hour', time), tenant, model, provider, service_name, count(*), "
                + "coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cache_read_tokens), 0), "
                + "coalesce(sum(cache_write_tokens), 0), coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_usd), 0), "
                + "count(*) FILTER (WHERE cost_usd IS NULL), count(*) FILTER (WHERE cost_source = 'provided'), "
                + "count(*) FILTER (WHERE cost_disagrees), count(*) FILTER (WHERE status_code = 2), sum(duration_ns), "
                + "max(duration_ns) FROM llm_calls GROUP BY 1, 2, 3, 4, 5");
    }
}
