package io.llmobservatory.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at a throwaway PostgreSQL cluster, shared by all test classes of the JVM
 * (tests isolate their data by tenant). Use with {@code @QuarkusTestResource(PostgresTestResource.class)}.
 */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private static PostgresCluster cluster;

    public static synchronized PostgresCluster cluster() {
        if (cluster == null) {
            cluster = PostgresCluster.start();
        }
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        PostgresCluster pg = cluster();
        return Map.of(
                "observatory.db.url", pg.url(),
                "observatory.db.user", pg.user(),
                "observatory.db.password", "");
    }

    @Override
    public void stop() {
        // The cluster outlives a single test class; a JVM shutdown hook removes it.
    }
}
