package io.llmobservatory.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Configuration of the query service ({@code observatory.query.*}; env {@code OBSERVATORY_QUERY_*}). */
@ConfigMapping(prefix = "observatory.query")
public interface QueryConfig {

    Tenant tenant();

    /** Window used when a request gives no {@code from}. */
    @WithDefault("24h")
    Duration defaultRange();

    /** Most spans returned for one trace. */
    @WithDefault("10000")
    int maxTraceSpans();

    interface Tenant {
        /** Request header naming the tenant, as in Tempo and Loki. */
        @WithDefault("X-Scope-OrgID")
        String header();

        /** Tenant of requests that name none. */
        @WithDefault("default")
        String defaultTenant();
    }
}
