package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline with a write-ahead log configured: a batch is acknowledged with its counts once logged, reaches
 * PostgreSQL after, once, and a retried batch stores nothing twice.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@TestProfile(WalPipelineTest.Logged.class)
class WalPipelineTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("enrich-wal-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Logged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("observatory.enrich.wal.dir", DIR.toString());
        }
    }

    @Inject
    TracesConsumer pipeline;

    @Inject
    TraceWriter writer;

    @Inject
    MeterRegistry registry;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void aLoggedBatchIsAcknowledgedWithItsCountsThenStoredOnceEvenWhenSentTwice() throws Exception {
        assertThat(writer.logged()).isTrue();
        String tenant = "wal-" + UUID.randomUUID();
        String trace = "7b8efff798038103d269b633813fc60c";
        var request = batch(span(trace, "aee19b7ec3c1b174", "", "POST /chat", 2, 1),
                llmSpan(trace, "aee19b7ec3c1b175"));

        TracesConsumer.BatchResult first = pipeline.consume(tenant, request).await().atMost(Duration.ofSeconds(30));
        TracesConsumer.BatchResult again = pipeline.consume(tenant, request).await().atMost(Duration.ofSeconds(30));

        assertThat(first).isEqualTo(new TracesConsumer.BatchResult(2, 1, 0));
        assertThat(again).isEqualTo(first);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.get("observatory.enrich.wal.backlog").gauge().value() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(registry.get("observatory.enrich.wal.backlog").gauge().value()).isZero();
        assertThat(pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'), (SELECT count(*)"
                + " FROM llm_calls WHERE tenant = '" + tenant + "')")).isEqualTo("2|1");
        try (var segments = Files.list(DIR)) {
            assertThat(segments.filter(p -> p.toString().endsWith(".wal")).count()).isEqualTo(1);
        }
        // Live while the log works (a failed write or fsync turns it down: WriteAheadLogHealth).
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("write-ahead log"));
    }
}
