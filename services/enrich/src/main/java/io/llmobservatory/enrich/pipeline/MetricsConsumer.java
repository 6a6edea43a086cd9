package io.llmobservatory.enrich.pipeline;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.smallrye.mutiny.Uni;

/** Consumes a batch of metrics; completes with the number of data points stored. */
public interface MetricsConsumer {
    Uni<Integer> consumeMetrics(String tenant, ExportMetricsServiceRequest batch);
}
