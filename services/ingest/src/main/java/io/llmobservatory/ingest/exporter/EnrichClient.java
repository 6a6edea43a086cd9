package io.llmobservatory.ingest.exporter;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesResponse;
import io.llmobservatory.shared.pipeline.v1.MutinyPipelineGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The exporter to enrich: sends a validated batch and completes when enrich has committed it. Every failure
 * becomes an {@link ExportFailure}; only INVALID_ARGUMENT from enrich is permanent.
 */
@ApplicationScoped
public class EnrichClient {
    private final MutinyPipelineGrpc.MutinyPipelineStub stub;
    private final Duration timeout;
    private final Duration retryAfter;

    public EnrichClient(@GrpcClient("enrich") MutinyPipelineGrpc.MutinyPipelineStub stub, IngestConfig config) {
        this.stub = stub;
        this.timeout = config.enrich().timeout();
        this.retryAfter = config.enrich().retryAfter();
    }

    public Uni<ConsumeTracesResponse> consume(String tenant, ExportTraceServiceRequest batch) {
        ConsumeTracesRequest request = ConsumeTracesRequest.newBuilder().setTenant(tenant).setTraces(batch).build();
        return Uni.createFrom().deferred(() -> stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .consumeTraces(request))
                .onFailure().transform(this::toFailure);
    }

    private ExportFailure toFailure(Throwable failure) {
        Status status = failure instanceof StatusRuntimeException sre ? sre.getStatus() : Status.fromThrowable(failure);
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
            return ExportFailure.permanent("batch refused by the pipeline: " + detail, failure);
        }
        return ExportFailure.retryable("pipeline unavailable (" + status.getCode() + "): " + detail
                + "; retry later", retryAfter, failure);
    }
}
