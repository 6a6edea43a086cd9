package io.llmobservatory.enrich.wal;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.io.IOException;

/**
 * Down once a write or fsync of the write-ahead log failed: the log then refuses every batch until enrich is
 * restarted (reopening cuts what the failed write left), so the process is reported not live and gets restarted.
 */
@Liveness
@ApplicationScoped
public class WriteAheadLogHealth implements HealthCheck {
    private final TraceWriter writer;

    public WriteAheadLogHealth(TraceWriter writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        IOException failure = writer.logFailure();
        return HealthCheckResponse.named("write-ahead log").status(failure == null)
                .withData("failure", failure == null ? "none" : failure.getMessage()).build();
    }
}
