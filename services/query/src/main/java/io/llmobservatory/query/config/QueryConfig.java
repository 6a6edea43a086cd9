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

    Stores stores();

    Console console();

    /** How far back to look in Loki for the logs of a trace. */
    @WithDefault("7d")
    Duration traceLogWindow();

    /** Where traces and logs are read from (as enrich writes them). */
    interface Stores {
        /** postgres (default), tempo, or both (PostgreSQL first, then Tempo). */
        @WithDefault("postgres")
        String traces();

        /** postgres (default) or loki. */
        @WithDefault("postgres")
        String logs();

        /** Tempo's HTTP API base URL, e.g. http://tempo:3200. */
        java.util.Optional<String> tempoUrl();

        /** Loki's base URL, e.g. http://loki:3100. */
        java.util.Optional<String> lokiUrl();

        /** Timeout of each request to Tempo or Loki. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** The web console served at {@code /}. */
    interface Console {
        /**
         * The alerting service's base URL: the console's Alerts page reads alerting's public read API
         * ({@code /api/v1/alerts}, {@code /api/v1/rules}) through {@code /api/v1/alerting/…} on this port, passing
         * the caller's key on, so the browser needs one origin only and alerting decides who may read.
         */
        @WithDefault("http://localhost:8082")
        String alertingUrl();

        /** Timeout of each request to the alerting service. */
        @WithDefault("5s")
        Duration alertingTimeout();
    }

    interface Tenant {
        /** Request header naming the tenant, as in Tempo and Loki. */
        @WithDefault("X-Scope-OrgID")
        String header();

        /** Tenant of requests that name none. */
        @WithDefault("default")
        String defaultTenant();
    }
}
