package io.llmobservatory.shared.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Authentication, the same for every service ({@code observatory.auth.*}; env {@code OBSERVATORY_AUTH_*}). */
@ConfigMapping(prefix = "observatory.auth")
public interface AuthConfig {

    /**
     * Whether requests need an API key. Off only for a local quick start: every request is then anonymous with every
     * scope, and each service says so loudly in its log at start.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The operator key (from a Secret): every scope, any tenant (named by the tenant header), the only key that
     * manages keys of every tenant, price catalogs and alert rules. Unset: no operator key.
     */
    Optional<String> operatorKey();

    /** How long a verified key is trusted before it is checked again (so a revocation takes effect within it). */
    @WithDefault("30s")
    Duration cacheTtl();

    /**
     * How long a verified key keeps working while the key store cannot be reached (the query service or PostgreSQL
     * down), so that such an outage does not refuse telemetry.
     */
    @WithDefault("15m")
    Duration staleTtl();

    /** How long a rejected key stays rejected without asking again (limits lookups from a client with a bad key). */
    @WithDefault("5s")
    Duration deniedCacheTtl();

    /** The query service, which owns the keys and verifies them for ingest, enrich and alerting (its HTTP port). */
    @WithDefault("localhost")
    String queryHost();

    @WithDefault("8080")
    int queryPort();
}
