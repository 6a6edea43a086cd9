package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.enrich.RollupSnapshots;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rollup queues and their drainer against a real PostgreSQL: drains of both stages that run at once count every
 * call once, and a drain that fails (refused, or cancelled at its statement timeout) leaves its queue and its
 * rollups as they were. (The in-module tests drain explicitly; the scheduled drains run in the end-to-end suite,
 * FaultsUnderLoadIT, which kills enrich under load.)
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class RollupDrainerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> ROLLUPS = RollupSnapshots.WRITER_ROLLUPS;
    private static final String MODEL_QUEUE = RollupSnapshots.MODEL_QUEUE;
    private static final String USER_QUEUE = RollupSnapshots.USER_QUEUE;
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "unknown-model"};

    @Inject
    TracesConsumer pipeline;
    @Inject
    RollupDrainer drainer;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void drainsRunningAtOnceCountEveryCallOnce() {
        String tenant = write(400, 7);
        assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("400");
        assertThat(rows("llm_calls_model_1h", tenant)).isEqualTo("0");

        // Scheduled turns of both stages (which skip while another holds the stage's lock) and full drains (which
        // wait for it), all at once.
        List<Uni<RollupDrainer.Drain>> drains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            drains.add(drainer.drainOnce(false));
            drains.add(drainer.drainUsersOnce(false));
            drains.add(drainer.drainAll());
        }
        Uni.join().all(drains).andFailFast().await().atMost(WAIT);
        assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("0");
        assertThat(queued(USER_QUEUE, tenant)).isEqualTo("0");
        assertThat(requests("llm_calls_model_1h", tenant)).isEqualTo("400");

        // Every row of every rollup is what the rebuild from the calls makes of them.
        List<String> drained = ROLLUPS.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList();
        pg.psql("SELECT rebuild_query_rollups('" + tenant + "')");
        assertThat(ROLLUPS.stream().map(t -> RollupSnapshots.of(pg, t, tenant)).toList()).isEqualTo(drained);
        assertThat(drained).allSatisfy(rows -> assertThat(rows).isNotEmpty());

        // A full drain reports the queue it leaves: nothing, since no call is being written.
        RollupDrainer.Drain last = drainer.drainAll().await().atMost(WAIT);
        assertThat(last.backlog()).isZero();
    }

    @Test
    void aFailedDrainLeavesItsQueueAndItsRollupsAsTheyWere() {
        String tenant = write(50, 13);
        // The last rollup the model stage writes refuses this tenant's row: the whole statement must roll back, the
        // calls staying in the first queue and reaching neither a rollup nor the user stage.
        withTrigger("refuse", "llm_calls_model_1d", tenant, "RAISE EXCEPTION 'refused for the test'", () -> {
            assertThatThrownBy(() -> drainer.drainAll().await().atMost(WAIT)).hasMessageContaining("refused for the test");
            assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("50");
            assertThat(queued(USER_QUEUE, tenant)).isEqualTo("0");
            for (String rollup : ROLLUPS) {
                assertThat(rows(rollup, tenant)).as(rollup).isEqualTo("0");
            }
        });
        // The user stage's last rollup refuses: the model stage is done, the calls wait in the user stage's queue.
        withTrigger("refuse_user", "llm_calls_user_1d", tenant, "RAISE EXCEPTION 'refused for the test'", () -> {
            assertThatThrownBy(() -> drainer.drainAll().await().atMost(WAIT)).hasMessageContaining("refused for the test");
            assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("0");
            assertThat(queued(USER_QUEUE, tenant)).isEqualTo("50");
            assertThat(requests("llm_calls_model_1d", tenant)).isEqualTo("50");
            for (String rollup : List.of("llm_calls_1h", "llm_calls_user_1d")) {
                assertThat(rows(rollup, tenant)).as(rollup).isEqualTo("0");
            }
        });
        drainer.drainAll().await().atMost(WAIT);
        assertThat(queued(USER_QUEUE, tenant)).isEqualTo("0");
        assertThat(requests("llm_calls_model_1d", tenant)).isEqualTo("50");
        assertThat(requests("llm_calls_user_1d", tenant)).isEqualTo("50");
        assertThat(requests("llm_calls_1h", tenant)).isEqualTo("50");
    }

    @Test
    void aDrainStuckInPostgresqlIsCancelledAtItsTimeoutAndLosesNothing() {
        String tenant = write(50, 17);
        // The drain statement stalls on this tenant's rows far longer than its timeout (10 s in the test profile).
        withTrigger("stall", "llm_calls_model_1h", tenant, "PERFORM pg_sleep(60)", () -> {
            assertThatThrownBy(() -> drainer.drainAll().await().atMost(WAIT)).hasMessageContaining("statement timeout");
            assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("50");
            assertThat(queued(USER_QUEUE, tenant)).isEqualTo("0");
            assertThat(rows("llm_calls_model_1m", tenant)).isEqualTo("0");
        });
        drainer.drainAll().await().atMost(WAIT);
        assertThat(queued(MODEL_QUEUE, tenant)).isEqualTo("0");
        assertThat(requests("llm_calls_model_1h", tenant)).isEqualTo("50");
        assertThat(requests("llm_calls_1h", tenant)).isEqualTo("50");
    }

    /**
     * Runs {@code checks} while a trigger does {@code action} before each insert of the tenant's rows into
     * {@code table}; the trigger is dropped afterwards, whatever the checks did.
     */
    private void withTrigger(String name, String table, String tenant, String action, Runnable checks) {
        String fn = name + "_" + tenant.replace('-', '_');
        pg.psql("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.tenant = '" + tenant
                + "' THEN " + action + "; END IF; RETURN NEW; END $$; CREATE TRIGGER " + fn + " BEFORE INSERT ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()");
        try {
            checks.run();
        } finally {
            pg.psql("DROP TRIGGER " + fn + " ON " + table);
        }
    }

    private String rows(String table, String tenant) {
        return pg.psql("SELECT count(*) FROM " + table + " WHERE tenant = '" + tenant + "'");
    }

    private String requests(String table, String tenant) {
        return pg.psql("SELECT sum(requests) FROM " + table + " WHERE tenant = '" + tenant + "'");
    }

    /** {@code calls} LLM calls of a new tenant over three hours, three models and five users, in batches of 50. */
    private String write(int calls, long seed) {
        String tenant = "rd-" + UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(seed);
        for (int b = 0; b < calls / 50; b++) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                spans.add(llmSpan(UUID.randomUUID().toString().replace("-", ""), String.format("%016x", b * 50L + i + 1),
                                MODELS[random.nextInt(MODELS.length)]).toBuilder()
                        .setStartTimeUnixNano(1_795_773_600_000_000_000L + random.nextInt(3 * 3600) * 1_000_000_000L)
                        .setEndTimeUnixNano(1_795_773_600_000_000_000L + 11_000_000_000_000L)
                        .addAttributes(str("user.id", "user-" + random.nextInt(5))).build());
            }
            pipeline.consume(tenant, batch(spans.toArray(Span[]::new))).await().atMost(WAIT);
        }
        return tenant;
    }

    private String queued(String queue, String tenant) {
        return RollupSnapshots.queued(pg, queue, tenant);
    }

}
