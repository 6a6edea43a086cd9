package io.llmobservatory.enrich.export;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Exports (scrubbed, sampled) spans to Grafana Tempo over OTLP/gRPC, the tenant in {@code X-Scope-OrgID}. */
public final class TempoSender implements Sender<List<SpanRecord>>, AutoCloseable {
    static final Metadata.Key<String> TENANT = Metadata.Key.of("X-Scope-OrgID", Metadata.ASCII_STRING_MARSHALLER);
    /** The codes the OTLP specification calls retryable. */
    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE,
            Status.Code.DATA_LOSS);

    private final ManagedChannel channel;
    private final Duration timeout;

    public TempoSender(String endpoint, Duration timeout) {
        this.channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "otlp/tempo";
    }

    @Override
    public int size(List<SpanRecord> batch) {
        return batch.size();
    }

    @Override
    public CompletableFuture<Void> send(String tenant, List<SpanRecord> batch) {
        Metadata headers = new Metadata();
        headers.put(TENANT, tenant);
        CompletableFuture<Void> result = new CompletableFuture<>();
        Futures.addCallback(TraceServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .export(OtlpMapper.toRequest(batch)), new FutureCallback<ExportTraceServiceResponse>() {
            @Override
            public void onSuccess(ExportTraceServiceResponse response) {
                if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedSpans() > 0) {
                    result.completeExceptionally(new SendException("Tempo rejected "
                            + response.getPartialSuccess().getRejectedSpans() + " spans: "
                            + response.getPartialSuccess().getErrorMessage(), false));
                } else {
                    result.complete(null);
                }
            }

            @Override
            public void onFailure(Throwable t) {
                Status status = Status.fromThrowable(t);
                result.completeExceptionally(new SendException("Tempo export failed: " + status.getCode() + " "
                        + status.getDescription(), RETRYABLE.contains(status.getCode())));
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
