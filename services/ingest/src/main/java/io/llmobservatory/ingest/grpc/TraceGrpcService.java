package io.llmobservatory.ingest.grpc;

import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.llmobservatory.ingest.exporter.ExportFailure;
import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.ingest.receiver.TraceReceiver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * OTLP/gRPC {@code TraceService/Export} on :4317. Bound by hand (same service and method names as the generated
 * stub) so that an undecodable message is answered INVALID_ARGUMENT, not grpc-java's UNKNOWN.
 */
@GrpcService
public class TraceGrpcService implements BindableService {
    private static final MethodDescriptor<DecodedRequest<ExportTraceServiceRequest>, ExportTraceServiceResponse> EXPORT =
            TraceServiceGrpc.getExportMethod().toBuilder(
                            DecodedRequest.marshaller(ExportTraceServiceRequest.parser()),
                            ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                    .build();

    private final TraceReceiver receiver;

    public TraceGrpcService(TraceReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(TraceServiceGrpc.getServiceDescriptor().getName())
                .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export))
                .build();
    }

    private void export(DecodedRequest<ExportTraceServiceRequest> request,
                        StreamObserver<ExportTraceServiceResponse> response) {
        String header = TenantInterceptor.TENANT_HEADER.get();
        Uni.createFrom().deferred(() -> {
                    if (request.error() != null) {
                        throw new InvalidRequestException("cannot decode OTLP/protobuf ExportTraceServiceRequest: "
                                + request.error());
                    }
                    return receiver.export(receiver.tenant(header), request.message(), "grpc");
                })
                .subscribe().with(r -> {
                    response.onNext(r);
                    response.onCompleted();
                }, f -> response.onError(toStatus(f)));
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
