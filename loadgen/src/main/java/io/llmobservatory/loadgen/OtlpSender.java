package io.llmobservatory.loadgen;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One OTLP export attempt over gRPC or HTTP/protobuf, classified the way an OTLP exporter must classify it. */
interface OtlpSender extends AutoCloseable {

    /** What one attempt came to: stored (with how many spans the server rejected), retryable, or permanent. */
    record Outcome(boolean ok, long rejectedSpans, boolean retryable, Duration retryAfter, String error) {
        static Outcome stored(long rejected) {
            return new Outcome(true, rejected, false, Duration.ZERO, null);
        }

        static Outcome retry(Duration after, String error) {
            return new Outcome(false, 0, true, after, error);
        }

        static Outcome permanent(String error) {
            return new Outcome(false, 0, false, Duration.ZERO, error);
        }
    }

    Outcome send(ExportTraceServiceRequest request, String tenant);

    @Override
    void close();

    /** The OTLP/gRPC exporter: retryable codes as the specification lists them, RetryInfo honoured. */
    final class Grpc implements OtlpSender {
        private static final Set<io.grpc.Status.Code> RETRYABLE = Set.of(io.grpc.Status.Code.CANCELLED,
                io.grpc.Status.Code.DEADLINE_EXCEEDED, io.grpc.Status.Code.RESOURCE_EXHAUSTED, io.grpc.Status.Code.ABORTED,
                io.grpc.Status.Code.OUT_OF_RANGE, io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.DATA_LOSS);
        private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        private static final Metadata.Key<String> TENANT = Metadata.Key.of("X-Scope-OrgID", Metadata.ASCII_STRING_MARSHALLER);
        private final ManagedChannel channel;
        private final String key;

        Grpc(String endpoint, String key, File trustedCertificate) throws Exception {
            NettyChannelBuilder builder = NettyChannelBuilder.forTarget(endpoint).maxInboundMessageSize(16 << 20);
            if (trustedCertificate != null) {
                builder.sslContext(GrpcSslContexts.forClient().trustManager(trustedCertificate).build());
            } else {
                builder.usePlaintext();
            }
            this.channel = builder.build();
            this.key = key;
        }

        @Override
        public Outcome send(ExportTraceServiceRequest request, String tenant) {
            Metadata headers = new Metadata();
            if (key != null) {
                headers.put(AUTHORIZATION, "Bearer " + key);
            }
            if (tenant != null) {
                headers.put(TENANT, tenant);
            }
            try {
                ExportTraceServiceResponse response = TraceServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .withDeadlineAfter(30, TimeUnit.SECONDS).export(request);
                return Outcome.stored(response.getPartialSuccess().getRejectedSpans());
            } catch (StatusRuntimeException e) {
                String error = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
                if (!RETRYABLE.contains(e.getStatus().getCode())) {
                    return Outcome.permanent(error);
                }
                Duration after = Duration.ZERO;
                com.google.rpc.Status details = StatusProto.fromThrowable(e);
                if (details != null) {
                    for (var any : details.getDetailsList()) {
                        if (any.is(RetryInfo.class)) {
                            try {
                                var delay = any.unpack(RetryInfo.class).getRetryDelay();
                                after = Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
                            } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                                // no delay then
                            }
                        }
                    }
                }
                return Outcome.retry(after, error);
            }
        }

        @Override
        public void close() {
            channel.shutdownNow();
        }
    }

    /** The OTLP/HTTP exporter (binary protobuf): 429, 502, 503, 504 are retryable, Retry-After honoured. */
    final class Http implements OtlpSender {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final URI uri;
        private final String key;

        Http(String endpoint, String key) {
            this.uri = URI.create(endpoint.endsWith("/v1/traces") ? endpoint : endpoint + "/v1/traces");
            this.key = key;
        }

        @Override
        public Outcome send(ExportTraceServiceRequest request, String tenant) {
            HttpRequest.Builder http = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()));
            if (key != null) {
                http.header("Authorization", "Bearer " + key);
            }
            if (tenant != null) {
                http.header("X-Scope-OrgID", tenant);
            }
            try {
                HttpResponse<byte[]> response = client.send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
                int code = response.statusCode();
                if (code == 200) {
                    return Outcome.stored(ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess()
                            .getRejectedSpans());
                }
                String error = "HTTP " + code;
                if (code == 429 || code == 502 || code == 503 || code == 504) {
                    long seconds = response.headers().firstValueAsLong("Retry-After").orElse(0);
                    return Outcome.retry(Duration.ofSeconds(seconds), error);
                }
                return Outcome.permanent(error);
            } catch (java.io.IOException e) {
                return Outcome.retry(Duration.ZERO, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.permanent("interrupted");
            }
        }

        @Override
        public void close() {
        }
    }
}
