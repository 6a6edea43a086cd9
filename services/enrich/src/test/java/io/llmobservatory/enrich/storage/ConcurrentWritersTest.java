package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.pipeline.TracesConsumer.BatchResult;
import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many batches written at once, each touching an overlapping random subset of the same rollup rows (models × users
 * × hours): none may fail (no deadlock between the writers), and once drained the rollups add up.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ConcurrentWritersTest {
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20241022", "unknown-a",
            "unknown-b", "unknown-c"};

    @Inject
    TracesConsumer pipeline;
    @Inject
    RollupDrainer drainer;

    @Test
    void concurrentBatchesOverSharedRollupRowsNeverDeadlock() {
        String tenant = "cw-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(11);
        int total = 0;
        for (int round = 0; round < 6; round++) {
            List<Uni<BatchResult>> writers = new ArrayList<>();
            for (int w = 0; w < 12; w++) {
                List<Span> spans = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    spans.add(llmSpan(UUID.randomUUID().toString().replace("-", ""), String.format("%016x", 1 + random.nextInt(1 << 30)),
                                    MODELS[random.nextInt(MODELS.length)]).toBuilder()
                            .setStartTimeUnixNano(1_795_773_600_000_000_000L + random.nextInt(3) * 3_600_000_000_000L
                                    + random.nextInt(3600) * 1_000_000_000L)
                            .addAttributes(str("user.id", "user-" + random.nextInt(60))).build());
                }
                total += spans.size();
                writers.add(pipeline.consume(tenant, batch(spans.toArray(Span[]::new))));
            }
            Uni.join().all(writers).andFailFast().await().atMost(Duration.ofSeconds(120));
        }
        PostgresCluster pg = PostgresTestResource.cluster();
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo(String.valueOf(total));
        drainer.drainAll().await().atMost(Duration.ofSeconds(120));
        assertThat(pg.psql("SELECT sum(requests) FROM llm_calls_model_1h WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.valueOf(total));
        assertThat(pg.psql("SELECT sum(requests) FROM llm_calls_user_1d WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.valueOf(total));
    }
}
