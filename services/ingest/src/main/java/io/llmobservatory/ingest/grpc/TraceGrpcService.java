package io.llmobservatory.ingest.grpc;

import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.llmobservatory.ingest.exporter.ExportFailure;
import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.ingest.receiver.TraceReceiver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** OTLP/gRPC {@code TraceService/Export} on :4317. */
@GrpcService
public class TraceGrpcService implements TraceService {
    private final TraceReceiver receiver;

    public TraceGrpcService(TraceReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public Uni<ExportTraceServiceResponse> export(ExportTraceServiceRequest request) {
        String header = TenantInterceptor.TENANT_HEADER.get();
        return Uni.createFrom().deferred(() -> receiver.export(receiver.tenant(header), request, "grpc"))
                .onFailure().transform(TraceGrpcService::toStatus);
    }

    static Throwable toStatus(Throwable failure) {
        if (failure instanceof InvalidRequestException e) {
            return status(Code.INVALID_ARGUMENT, e.getMessage(), null);
        }
        if (failure instanceof ExportFailure e) {
            return e.retryable()
                    ? status(Code.UNAVAILABLE, e.getMessage(), e.retryAfter())
                    : status(Code.INVALID_ARGUMENT, e.getMessage(), null);
        }
        if (failure instanceof StatusRuntimeException) {
            return failure;
        }
        return status(Code.UNAVAILABLE, "ingest failed: " + failure, java.time.Duration.ofSeconds(1));
    }

    private static StatusRuntimeException status(Code code, String message, java.time.Duration retryAfter) {
        Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        if (retryAfter != null) {
            status.addDetails(com.google.protobuf.Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(retryAfter.toSeconds())
                            .setNanos(retryAfter.toNanosPart()))
                    .build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
