package io.llmobservatory.e2e;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** A plain grpc-java client for what SDK exporters never send: hand-made invalid spans and raw bytes. */
final class RawGrpc implements AutoCloseable {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> RAW_EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private final ManagedChannel channel;
    private final String tenant;

    /** A client for {@code tenant}'s key (created through the suite's admin API). */
    RawGrpc(int port, String tenant) {
        this(port, tenant, "Bearer " + Suite.get().key(tenant));
    }

    /** A client sending {@code authorization} (none when null) and naming {@code tenant} in the tenant header. */
    RawGrpc(int port, String tenant, String authorization) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        }
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        this.tenant = tenant;
    }

    ExportTraceServiceResponse export(ExportTraceServiceRequest request) {
        return TraceServiceGrpc.newBlockingStub(channel).withInterceptors(tenantHeader())
                .withDeadlineAfter(30, TimeUnit.SECONDS).export(request);
    }

    byte[] exportRaw(byte[] payload) {
        return ClientCalls.blockingUnaryCall(channel.newCall(RAW_EXPORT,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), payload);
    }

    /** The tenant header, naming the key's own tenant (or, in AuthIT, another). */
    private io.grpc.ClientInterceptor tenantHeader() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(Llm.TENANT_HEADER, Metadata.ASCII_STRING_MARSHALLER), tenant);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
