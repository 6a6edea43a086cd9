package io.llmobservatory.loadgen;

import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.llmobservatory.shared.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    /**
     * The OTLP/HTTP exporter, one keep-alive connection per sender: protobuf or JSON bodies (or alternating, export by
     * export), HTTP/1.1 as OTLP exporters speak to an http:// endpoint, or HTTP/2 (h2c upgrade); 429, 502, 503, 504
     * are retryable, Retry-After honoured.
     */
    final class Http implements OtlpSender {
        private final HttpClient client;
        private final URI uri;
        private final String key;
        private final String encoding;
        private long exports;

        Http(String endpoint, String key, String encoding, String httpVersion) {
            this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .version(httpVersion.equals("2") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
            this.uri = URI.create(endpoint.endsWith("/v1/traces") ? endpoint : endpoint + "/v1/traces");
            this.key = key;
            this.encoding = encoding;
        }

        @Override
        public Outcome send(ExportTraceServiceRequest request, String tenant) {
            boolean json = encoding.equals("json") || (encoding.equals("mixed") && exports++ % 2 == 1);
            HttpRequest.Builder http = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", json ? "application/json" : "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json
                            ? json(request) : request.toByteArray()));
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
                    ExportTraceServiceResponse.Builder ok = ExportTraceServiceResponse.newBuilder();
                    if (json) {
                        OtlpJson.merge(response.body(), ok);
                    } else {
                        ok.mergeFrom(response.body());
                    }
                    return Outcome.stored(ok.getPartialSuccess().getRejectedSpans());
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

        /** OTLP/JSON: the proto3 JSON mapping with trace and span ids as hex instead of base64. */
        static byte[] json(ExportTraceServiceRequest request) {
            try {
                com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(OtlpJson.print(request));
                hexIds(root);
                return JSON.writeValueAsBytes(root);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        private static void hexIds(com.fasterxml.jackson.databind.JsonNode node) {
            if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                object.fields().forEachRemaining(field -> {
                    if (Set.of("traceId", "spanId", "parentSpanId").contains(field.getKey()) && field.getValue().isTextual()) {
                        field.setValue(new com.fasterxml.jackson.databind.node.TextNode(
                                java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(field.getValue().textValue()))));
                    } else {
                        hexIds(field.getValue());
                    }
                });
            } else if (node != null && node.isArray()) {
                node.forEach(Http::hexIds);
            }
        }
    }
}
