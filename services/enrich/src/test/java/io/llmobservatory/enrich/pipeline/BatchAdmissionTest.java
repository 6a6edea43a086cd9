package io.llmobservatory.enrich.pipeline;

import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulkhead in front of the pipelines, through the real Fault Tolerance interceptor: so many batches in
 * progress, so many waiting, the rest refused; a finished batch lets a waiting one start.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BatchAdmissionTest {
    @Inject
    BatchAdmission admission;

    @Test
    void boundsBatchesInProgressQueuesSomeAndRefusesTheRest() {
        int offered = BatchAdmission.IN_PROGRESS + BatchAdmission.WAITING + 3;
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<String>> gates = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < offered; i++) {
            CompletableFuture<String> gate = new CompletableFuture<>();
            gates.add(gate);
            results.add(admission.admit(() -> {
                started.incrementAndGet();
                return Uni.createFrom().completionStage(gate);
            }).subscribeAsCompletionStage());
        }
        eventually(() ->
                assertThat(results.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isEqualTo(3));
        assertThat(started).hasValue(BatchAdmission.IN_PROGRESS);
        assertThat(results.stream().filter(CompletableFuture::isCompletedExceptionally))
                .allSatisfy(r -> assertThat(r).failsWithin(Duration.ZERO)
                        .withThrowableOfType(Exception.class).withRootCauseInstanceOf(BulkheadException.class));

        // One batch finishes: one waiting batch starts.
        int first = started.get() - 1;
        gates.get(0).complete("done");
        assertThat(results.get(0)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("done");
        eventually(() -> assertThat(started).hasValue(first + 2));

        // Everything admitted completes once released.
        gates.forEach(g -> g.complete("done"));
        eventually(() -> assertThat(started)
                .hasValue(BatchAdmission.IN_PROGRESS + BatchAdmission.WAITING));
        assertThat(results.stream().filter(r -> !r.isCompletedExceptionally()))
                .hasSize(BatchAdmission.IN_PROGRESS + BatchAdmission.WAITING)
                .allSatisfy(r -> assertThat(r).succeedsWithin(Duration.ofSeconds(5)));
    }

    /** Retries the assertion for up to 10 s (the admissions complete on other threads). */
    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
