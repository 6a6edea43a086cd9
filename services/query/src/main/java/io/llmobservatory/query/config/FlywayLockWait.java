package io.llmobservatory.query.config;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Enrich and query both migrate at start under Flyway's advisory lock. A migration that rebuilds rollups over a big
 * database takes minutes, so the service that did not win the lock waits for it (retrying once a second, up to an
 * hour) instead of failing after Flyway's default 50 tries.
 */
@Singleton
public class FlywayLockWait implements FlywayConfigurationCustomizer {
    static final int LOCK_RETRIES = 3600;

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.lockRetryCount(LOCK_RETRIES);
    }
}
