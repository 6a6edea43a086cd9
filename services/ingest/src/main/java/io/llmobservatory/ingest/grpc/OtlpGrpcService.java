package io.llmobservatory.ingest.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Message;
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
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.ingest.receiver.InvalidRequestException;
import io.llmobservatory.ingest.receiver.OtlpReceiver;
import io.llmobservatory.ingest.receiver.Signal;
import io.llmobservatory.ingest.receiver.Throttled;
import io.smallrye.mutiny.Uni;

/**
 * An OTLP/gRPC {@code Export} method on :4317, bound by hand (same service and method names as the generated
 * stubs) so that an undecodable message is answered INVALID_ARGUMENT with a readable message, not grpc-java's
 * UNKNOWN.
 */
abstract class OtlpGrpcService<Q extends Message, R extends Message> implements BindableService {
    private final Signal<Q, R> signal;
    private final OtlpReceiver receiver;
    private final String serviceName;
    private final MethodDescriptor<DecodedRequest<Q>, R> export;

    OtlpGrpcService(Signal<Q, R> signal, OtlpReceiver receiver, MethodDescriptor<?, ?> generated, R responseType) {
        this.signal = signal;
        this.receiver = receiver;
        this.serviceName = generated.getServiceName();
        this.export = MethodDescriptor.<DecodedRequest<Q>, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(generated.getFullMethodName())
                .setRequestMarshaller(DecodedRequest.marshaller(signal.parser()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType))
                .build();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(serviceName).addMethod(export, ServerCalls.asyncUnaryCall(this::export))
                .build();
    }

    private void export(DecodedRequest<Q> request, StreamObserver<R> response) {
        String header = TenantInterceptor.TENANT_HEADER.get();
        String apiKey = TenantInterceptor.API_KEY.get();
        receiver.tenant(apiKey, header).flatMap(tenant -> {
                    if (request.error() != null) {
                        throw new InvalidRequestException("undecodable", "cannot decode OTLP/protobuf " + signal.requestType() + ": "
                                + request.error());
                    }
                    return receiver.export(signal, tenant, request.message(), "grpc");
                })
                .subscribe().with(r -> {
                    response.onNext(r);
                    response.onCompleted();
                }, f -> {
                    if (f instanceof InvalidRequestException e) {
                        receiver.rejections().refused(e.reason(), "grpc", e.getMessage());
                    }
                    response.onError(toStatus(f));
                });
    }

    static Throwable toStatus(Throwable failure) {
        if (failure instanceof AuthFailure e) {
            return switch (e.kind()) {
                case UNAUTHENTICATED -> status(Code.UNAUTHENTICATED, e.getMessage(), null);
                case PERMISSION_DENIED -> status(Code.PERMISSION_DENIED, e.getMessage(), null);
                case UNAVAILABLE -> status(Code.UNAVAILABLE, e.getMessage(), java.time.Duration.ofSeconds(1));
            };
        }
        if (failure instanceof InvalidRequestException e) {
            return status(Code.INVALID_ARGUMENT, e.getMessage(), null);
        }
        if (failure instanceof Throttled e) {
            return status(e.rateLimited() ? Code.RESOURCE_EXHAUSTED : Code.UNAVAILABLE, e.getMessage(), e.retryAfter());
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
