package io.llmobservatory.enrich.export;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Tempo exporter against a local OTLP/gRPC server that answers like Tempo's distributor. */
class TempoSenderTest {
    private Server server;
    private final List<ExportTraceServiceRequest> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> tenants = Collections.synchronizedList(new ArrayList<>());
    private final List<Object> script = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        ServerInterceptor tenant = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                tenants.add(headers.get(TempoSender.TENANT));
                return next.startCall(call, headers);
            }
        };
        server = ServerBuilder.forPort(0).addService(ServerInterceptors.intercept(new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                received.add(request);
                Object next = script.isEmpty() ? null : script.remove(0);
                if (next instanceof Status status) {
                    response.onError(status.asRuntimeException());
                } else {
                    response.onNext(next instanceof ExportTraceServiceResponse r ? r : ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                }
            }
        }, tenant)).build().start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private TempoSender sender() {
        return new TempoSender("127.0.0.1:" + server.getPort(), Duration.ofSeconds(5));
    }

    @Test
    void exportsTheSpansAsOtlpWithTheTenantHeader() {
        try (TempoSender sender = sender()) {
            sender.send("tenant-a", List.of(span("eee19b7ec3c1b174"), span("eee19b7ec3c1b175"))).join();
        }
        assertThat(tenants).containsExactly("tenant-a");
        ExportTraceServiceRequest request = received.get(0);
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
        assertThat(request.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("bot");
    }

    @Test
    void outagesAreRetryableAndRejectionsAreNot() {
        try (TempoSender sender = sender()) {
            script.add(Status.UNAVAILABLE.withDescription("ingester down"));
            assertThatThrownBy(() -> sender.send("t", List.of(span("eee19b7ec3c1b174"))).join()).cause()
                    .satisfies(e -> assertThat(((SendException) e).retryable()).isTrue()).hasMessageContaining("UNAVAILABLE");
            script.add(Status.INVALID_ARGUMENT.withDescription("bad"));
            assertThatThrownBy(() -> sender.send("t", List.of(span("eee19b7ec3c1b174"))).join()).cause()
                    .satisfies(e -> assertThat(((SendException) e).retryable()).isFalse());
            script.add(ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(1).setErrorMessage("too old")).build());
            assertThatThrownBy(() -> sender.send("t", List.of(span("eee19b7ec3c1b174"))).join()).cause()
                    .hasMessageContaining("rejected 1 spans: too old");
        }
    }

    static SpanRecord span(String id) {
        return new SpanRecord("5b8efff798038103d269b633813fc60c", id, "", "", 0, "chat", 3, 10, 20, 0, "", "bot",
                Attributes.of(Map.of("gen_ai.request.model", "gpt-4o")), 0, List.of(), 0, List.of(), 0,
                Attributes.of(Map.of("service.name", "bot")), InstrumentationScope.EMPTY);
    }
}
