package io.llmobservatory.enrich.grpc;

import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.llmobservatory.enrich.pipeline.BatchAdmission;
import io.llmobservatory.enrich.pipeline.LogsConsumer;
import io.llmobservatory.enrich.pipeline.MetricsConsumer;
import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.shared.pipeline.v1.ConsumeLogsRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeMetricsRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeResponse;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesResponse;
import io.llmobservatory.shared.pipeline.v1.Pipeline;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

/** The internal gRPC endpoint ingest calls: answers OK only once the batch is committed. */
@GrpcService
public class PipelineGrpcService implements Pipeline {
    private static final Logger LOG = Logger.getLogger(PipelineGrpcService.class);

    private final TracesConsumer pipeline;
    private final MetricsConsumer metrics;
    private final LogsConsumer logs;
    private final BatchAdmission admission;

    public PipelineGrpcService(TracesConsumer pipeline, MetricsConsumer metrics, LogsConsumer logs,
                               BatchAdmission admission) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.logs = logs;
        this.admission = admission;
    }

    @Override
    public Uni<ConsumeResponse> consumeMetrics(ConsumeMetricsRequest request) {
        if (request.getTenant().isBlank()) {
            return Uni.createFrom().failure(status(Code.INVALID_ARGUMENT, "tenant must be set", false));
        }
        String tenant = request.getTenant();
        Handoff<ExportMetricsServiceRequest> batch = new Handoff<>(request.getMetrics());
        return Uni.createFrom().deferred(() -> admission.admit(() -> metrics.consumeMetrics(tenant, batch.take())))
                .map(n -> ConsumeResponse.newBuilder().setStored(n).build())
                .onFailure().transform(PipelineGrpcService::toStatus);
    }

    @Override
    public Uni<ConsumeResponse> consumeLogs(ConsumeLogsRequest request) {
        if (request.getTenant().isBlank()) {
            return Uni.createFrom().failure(status(Code.INVALID_ARGUMENT, "tenant must be set", false));
        }
        String tenant = request.getTenant();
        Handoff<ExportLogsServiceRequest> batch = new Handoff<>(request.getLogs());
        return Uni.createFrom().deferred(() -> admission.admit(() -> logs.consumeLogs(tenant, batch.take())))
                .map(n -> ConsumeResponse.newBuilder().setStored(n).build())
                .onFailure().transform(PipelineGrpcService::toStatus);
    }

    @Override
    public Uni<ConsumeTracesResponse> consumeTraces(ConsumeTracesRequest request) {
        if (request.getTenant().isBlank()) {
            return Uni.createFrom().failure(status(Code.INVALID_ARGUMENT, "tenant must be set", false));
        }
        String tenant = request.getTenant();
        Handoff<ExportTraceServiceRequest> batch = new Handoff<>(request.getTraces());
        return Uni.createFrom().deferred(() -> admission.admit(() -> pipeline.consume(tenant, batch.take())))
                .map(r -> ConsumeTracesResponse.newBuilder().setStoredSpans(r.spans()).setLlmCalls(r.llmCalls())
                        .setRejectedSpans(r.rejectedSpans())
                        .setErrorMessage(r.firstRejection() == null ? "" : r.firstRejection()).build())
                .onFailure().transform(PipelineGrpcService::toStatus);
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (failure instanceof BulkheadException) {
            return status(Code.UNAVAILABLE, "enrich is at capacity (batches in progress and waiting); retry", true);
        }
        if (failure instanceof StorageException se) {
            LOG.warnf("batch not stored (%s): %s", se.retryable() ? "retryable" : "permanent", se.getMessage());
            return se.retryable()
                    ? status(Code.UNAVAILABLE, se.getMessage(), true)
                    : status(Code.INVALID_ARGUMENT, se.getMessage(), false);
        }
        LOG.error("batch not stored: unexpected failure", failure);
        return status(Code.UNAVAILABLE, "enrich failed to process the batch: " + failure, true);
    }

    private static StatusRuntimeException status(Code code, String message, boolean retry) {
        Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        if (retry) {
            status.addDetails(com.google.protobuf.Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(1)).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
