package io.llmobservatory.enrich.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.smallrye.mutiny.Uni;

/** The one interface between pipeline stages: consume a batch, complete when it is done, or fail. */
public interface TracesConsumer {

    Uni<BatchResult> consume(String tenant, ExportTraceServiceRequest batch);

    /**
     * What a consumed batch amounted to. {@code rejectedSpans}: spans refused alone because the store cannot hold a
     * value of theirs or the batch holds their span id twice ({@code firstRejection} says why), the rest of the batch
     * stored.
     */
    record BatchResult(int spans, int llmCalls, int unpricedCalls, int rejectedSpans, String firstRejection) {
        public BatchResult(int spans, int llmCalls, int unpricedCalls) {
            this(spans, llmCalls, unpricedCalls, 0, null);
        }
    }
}
