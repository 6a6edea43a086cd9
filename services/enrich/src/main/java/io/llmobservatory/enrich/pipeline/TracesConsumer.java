package io.llmobservatory.enrich.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.smallrye.mutiny.Uni;

/** The one interface between pipeline stages: consume a batch, complete when it is done, or fail. */
public interface TracesConsumer {

    Uni<BatchResult> consume(String tenant, ExportTraceServiceRequest batch);

    /** What a consumed batch amounted to. */
    record BatchResult(int spans, int llmCalls, int unpricedCalls) {
    }
}
