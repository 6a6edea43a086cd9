package io.llmobservatory.enrich.grpc;

import com.google.rpc.RetryInfo;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcService;
import io.llmobservatory.shared.pipeline.v1.ConsumeLogsRequest;
import io.llmobservatory.testkit.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Logs go to Loki alone and Loki refuses every push with 400 (its recorded answer to an entry too far behind): the
 * refusal is a store-side mismatch, not the client's bad data, so the batch is answered UNAVAILABLE with RetryInfo
 * (never INVALID_ARGUMENT) and counted as a failed send.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StoreRefusalTest.RefusingLoki.class)
class StoreRefusalTest {

    /** A Loki 3.x stand-in whose push answers 400 every time. */
    public static class RefusingLoki implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger PUSHES = new AtomicInteger();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/loki/api/v1/status/buildinfo", exchange -> {
                byte[] body = "{\"version\":\"3.3.2\"}".getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.createContext("/loki/api/v1/push", exchange -> {
                exchange.getRequestBody().readAllBytes();
                PUSHES.incrementAndGet();
                byte[] body;
                try (InputStream in = StoreRefusalTest.class.getResourceAsStream("/loki/push-400.txt")) {
                    body = in.readAllBytes();
                }
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return Map.of("observatory.enrich.stores.logs", "loki",
                    "observatory.enrich.stores.loki.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Inject
    @GrpcService
    PipelineGrpcService service;

    @Inject
    MeterRegistry registry;

    @Test
    void aLokiRefusalIsRetryableNeverInvalidArgument() {
        ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
                        .setTimeUnixNano(1_795_773_600_000_000_000L).setSeverityNumberValue(9)
                        .setBody(AnyValue.newBuilder().setStringValue("hello"))))).build();
        Throwable failure = catchThrowable(() -> service.consumeLogs(ConsumeLogsRequest.newBuilder()
                .setTenant("refused").setLogs(logs).build()).await().atMost(Duration.ofSeconds(30)));

        assertThat(failure).isInstanceOf(StatusRuntimeException.class);
        StatusRuntimeException status = (StatusRuntimeException) failure;
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getStatus().getDescription()).contains("entry too far behind");
        assertThat(StatusProto.fromThrowable(status).getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
        assertThat(RefusingLoki.PUSHES.get()).isPositive();
        assertThat(registry.get("otelcol.exporter.send.failed.log.records").tag("exporter", "loki").counter().count())
                .isEqualTo(1);
    }
}
