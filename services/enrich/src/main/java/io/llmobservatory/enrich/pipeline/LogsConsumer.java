package io.llmobservatory.enrich.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.smallrye.mutiny.Uni;

/** Consumes a batch of log records; completes with the number stored. */
public interface LogsConsumer {
    Uni<Integer> consumeLogs(String tenant, ExportLogsServiceRequest batch);
}
