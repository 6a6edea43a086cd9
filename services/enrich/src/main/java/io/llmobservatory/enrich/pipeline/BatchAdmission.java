package io.llmobservatory.enrich.pipeline;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;

import java.util.function.Supplier;

/**
 * Bounds the batches enrich works on at once (all signals together): {@value #IN_PROGRESS} in progress, up to
 * {@value #WAITING} more waiting their turn, others refused (BulkheadException, answered UNAVAILABLE with RetryInfo so
 * the client retries). A batch in progress holds several times its encoded size in objects until its rows are
 * committed, so without a bound enrich's heap (120 MiB) would have to grow with the number of clients: ingest's
 * in-flight budget counts encoded bytes. Waiting batches hold only their decoded request.
 * Override with {@code quarkus.fault-tolerance."io.llmobservatory.enrich.pipeline.BatchAdmission/admit".bulkhead.value}
 * and {@code ....bulkhead.waiting-task-queue}; SmallRye Fault Tolerance exports its bulkhead metrics
 * ({@code ft_bulkhead_*}).
 */
@ApplicationScoped
public class BatchAdmission {
    static final int IN_PROGRESS = 4;
    static final int WAITING = 8;

    @AsynchronousNonBlocking
    @Bulkhead(value = IN_PROGRESS, waitingTaskQueue = WAITING)
    public <T> Uni<T> admit(Supplier<Uni<T>> work) {
        return work.get();
    }
}
