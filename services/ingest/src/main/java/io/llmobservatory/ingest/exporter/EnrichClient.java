package io.llmobservatory.ingest.exporter;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.grpc.Detached;
import io.llmobservatory.shared.pipeline.v1.ConsumeLogsRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeMetricsRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeResponse;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesResponse;
import io.llmobservatory.shared.pipeline.v1.MutinyPipelineGrpc;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exporter to enrich: sends a validated batch and completes when enrich has committed it. Every failure
 * becomes an {@link ExportFailure}; only INVALID_ARGUMENT from enrich is permanent.
 * <p>
 * An UNAVAILABLE call is retried twice within a second (storage is idempotent, so this is safe), each time
 * resetting the channel's reconnect backoff: grpc-java would otherwise wait up to two minutes before dialing a
 * restarted enrich again, failing every client in between.
 */
@ApplicationScoped
public class EnrichClient {
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofMillis(500);
    private static final int RETRIES = 2;

    private final MutinyPipelineGrpc.MutinyPipelineStub stub;
    private final Channel channel;
    private final Duration timeout;
    private final Duration retryAfter;
    private final EnrichReplicas replicas;

    public EnrichClient(@GrpcClient("enrich") MutinyPipelineGrpc.MutinyPipelineStub stub,
                        @GrpcClient("enrich") Channel channel, IngestConfig config, EnrichReplicas replicas) {
        this.stub = stub;
        this.channel = channel;
        this.timeout = config.enrich().timeout();
        this.retryAfter = config.enrich().retryAfter();
        this.replicas = replicas;
    }

    /**
     * Sends the spans to enrich; with trace-id routing on, split by replica (every span of a trace to the same
     * one) and OK only when every part is stored — a failed part fails the batch, and the client's retry is
     * idempotent for the parts already stored. A part whose replica answers UNAVAILABLE (killed, unreachable) is
     * split again over the replicas still available, so its traces go to the next replica in rendezvous order.
     */
    public Uni<ConsumeTracesResponse> consumeTraces(String tenant, ExportTraceServiceRequest batch) {
        if (!replicas.routing() || replicas.current().isEmpty()) {
            ConsumeTracesRequest request = ConsumeTracesRequest.newBuilder().setTenant(tenant).setTraces(batch).build();
            return call(() -> deadline().consumeTraces(request));
        }
        return routed(tenant, batch, RETRIES).onFailure().transform(this::toFailure);
    }

    private Uni<ConsumeTracesResponse> routed(String tenant, ExportTraceServiceRequest batch, int retries) {
        List<Uni<ConsumeTracesResponse>> parts = new java.util.ArrayList<>();
        TraceRouter.split(batch, replicas.available()).forEach((replica, part) -> parts.add(part(tenant, replica, part, retries)));
        if (parts.isEmpty()) {
            return Uni.createFrom().item(ConsumeTracesResponse.getDefaultInstance());
        }
        // Every part ends before the batch does (a part still running when another fails would fail unseen).
        return Uni.combine().all().unis(parts).collectFailures().with(ConsumeTracesResponse.class, responses -> {
            ConsumeTracesResponse.Builder sum = ConsumeTracesResponse.newBuilder();
            responses.forEach(r -> {
                sum.setStoredSpans(sum.getStoredSpans() + r.getStoredSpans())
                        .setLlmCalls(sum.getLlmCalls() + r.getLlmCalls())
                        .setRejectedSpans(sum.getRejectedSpans() + r.getRejectedSpans());
                if (sum.getErrorMessage().isEmpty()) {
                    sum.setErrorMessage(r.getErrorMessage());
                }
            });
            return sum.build();
        });
    }

    private Uni<ConsumeTracesResponse> part(String tenant, String replica, ExportTraceServiceRequest part, int retries) {
        ConsumeTracesRequest request = ConsumeTracesRequest.newBuilder().setTenant(tenant).setTraces(part).build();
        return Detached.<ConsumeTracesResponse>call(() -> replicas.stub(replica)
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).consumeTraces(request))
                .onFailure(EnrichClient::unavailable).recoverWithUni(failure -> {
                    replicas.markDown(replica);
                    if (retries == 0) {
                        return Uni.createFrom().failure(failure);
                    }
                    replicas.resetConnectBackoff();
                    Duration wait = retries == RETRIES ? FIRST_RETRY : LAST_RETRY;
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                            .chain(() -> routed(tenant, part, retries - 1));
                });
    }

    public Uni<ConsumeResponse> consumeMetrics(String tenant, ExportMetricsServiceRequest batch) {
        ConsumeMetricsRequest request = ConsumeMetricsRequest.newBuilder().setTenant(tenant).setMetrics(batch).build();
        return call(() -> deadline().consumeMetrics(request));
    }

    public Uni<ConsumeResponse> consumeLogs(String tenant, ExportLogsServiceRequest batch) {
        ConsumeLogsRequest request = ConsumeLogsRequest.newBuilder().setTenant(tenant).setLogs(batch).build();
        return call(() -> deadline().consumeLogs(request));
    }

    private MutinyPipelineGrpc.MutinyPipelineStub deadline() {
        return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> Uni<T> call(java.util.function.Supplier<Uni<? extends T>> rpc) {
        // Detached from the client's call context: see Detached (the batch is stored or failed on its own deadline).
        return Detached.<T>call(rpc)
                .onFailure(EnrichClient::unavailable).invoke(this::resetConnectBackoff)
                .onFailure(EnrichClient::unavailable).retry().withBackOff(FIRST_RETRY, LAST_RETRY).atMost(RETRIES)
                .onFailure().transform(this::toFailure);
    }

    /** Lets the next call dial enrich at once instead of waiting out grpc-java's reconnect backoff. */
    public void resetConnectBackoff() {
        if (channel instanceof ManagedChannel managed) {
            managed.resetConnectBackoff();
        }
        replicas.resetConnectBackoff();
    }

    private static boolean refused(Throwable failure) {
        return failure instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.INVALID_ARGUMENT;
    }

    private static boolean unavailable(Throwable failure) {
        return failure instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    private ExportFailure toFailure(Throwable failure) {
        if (failure instanceof io.smallrye.mutiny.CompositeException parts) {
            // Several parts failed: permanent if any was refused, else retryable.
            failure = parts.getCauses().stream().filter(EnrichClient::refused).findFirst().orElse(parts.getCause());
        }
        Status status = failure instanceof StatusRuntimeException sre ? sre.getStatus() : Status.fromThrowable(failure);
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
            return ExportFailure.permanent("batch refused by the pipeline: " + detail, failure);
        }
        return ExportFailure.retryable("pipeline unavailable (" + status.getCode() + "): " + detail
                + "; retry later", retryAfter, failure);
    }
}
