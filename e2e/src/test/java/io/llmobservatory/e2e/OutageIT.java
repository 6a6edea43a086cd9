package io.llmobservatory.e2e;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Nothing acknowledged is lost: while enrich or PostgreSQL is down the edge answers retryable codes
 * (UNAVAILABLE + RetryInfo, 503 + Retry-After), and the client's retry stores the data once they are back.
 */
class OutageIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void enrichDownIsRetryableAndTheRetryStoresTheData() throws Exception {
        String tenant = Llm.newTenant("outage");
        String grpcTrace = OtlpJson.randomHex(16);
        String httpTrace = OtlpJson.randomHex(16);
        long t = OtlpJson.nowNanos();
        ExportTraceServiceRequest grpcBatch = Protos.request("svc",
                List.of(Protos.chat(grpcTrace, OtlpJson.randomHex(8), t, "gpt-4o", 1000, 500)));
        byte[] httpBatch = OtlpJson.request("svc", List.of(OtlpJson.span(httpTrace, OtlpJson.randomHex(8), "work", t, t + 5)))
                .getBytes(StandardCharsets.UTF_8);

        suite.killEnrich();
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant)) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> grpc.export(grpcBatch));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            assertThat(details).isNotNull();
            assertThat(details.getDetailsList()).anySatisfy(any ->
                    assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1));

            RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                    .contentType("application/json").body(httpBatch).post("/v1/traces")
                    .then().statusCode(503).header("Retry-After", "1").body("code", equalTo(14))
                    .body("message", containsString("retry"));
            // Ingest reports itself not ready while it cannot store anything.
            RestAssured.given().baseUri(suite.ingestHttpUrl()).get("/q/health/ready").then().statusCode(503);

            suite.startEnrich();
            suite.awaitEnrichReady();
            assertThat(grpc.export(grpcBatch).hasPartialSuccess()).isFalse();
        }
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .contentType("application/json").body(httpBatch).post("/v1/traces").then().statusCode(200);

        Llm.query(suite, tenant).get("/api/v1/traces/" + grpcTrace).then().statusCode(200).body("spanCount", equalTo(1));
        Llm.query(suite, tenant).get("/api/v1/traces/" + httpTrace).then().statusCode(200).body("spanCount", equalTo(1));
        Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200)
                .body("models[0].requests", equalTo(1));
    }

    @Test
    void sdkExporterRetriesThroughAnEnrichRestartAndNothingIsLost() throws Exception {
        String tenant = Llm.newTenant("sdk-retry");
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                .addHeader("Authorization", Llm.bearer(suite, tenant))
                .setTimeout(Duration.ofSeconds(90))
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(2))
                        .setMaxBackoff(Duration.ofSeconds(10)).setBackoffMultiplier(2).build())
                .build();
        SdkTracerProvider provider = Llm.provider("retrying-app", exporter);

        suite.killEnrich();
        // The application keeps working while the pipeline is down; its exporter retries in the background.
        CompletableFuture<String> trace = CompletableFuture.supplyAsync(() -> {
            String id = Llm.chatTrace(provider.get("e2e"), "openai", "gpt-4o", 1000, 500, null, "dave", false);
            Llm.flush(provider);
            return id;
        });
        Suite.sleep(3000);
        assertThat(trace).isNotDone();
        suite.startEnrich();
        String traceId = trace.get();
        provider.shutdown();

        Llm.query(suite, tenant).get("/api/v1/traces/" + traceId).then().statusCode(200).body("spanCount", equalTo(2));
        assertThat(suite.postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    @Test
    void databaseDownIsRetryableAndTheRetryStoresTheData() throws Exception {
        String tenant = Llm.newTenant("db-outage");
        String trace = OtlpJson.randomHex(16);
        long t = OtlpJson.nowNanos();
        ExportTraceServiceRequest batch = Protos.request("svc",
                List.of(Protos.chat(trace, OtlpJson.randomHex(8), t, "gpt-4o", 1000, 500)));
        String unseenTenant = Llm.newTenant("db-outage-new");
        String unseenKey = suite.key(unseenTenant);
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant);
             RawGrpc unseen = new RawGrpc(suite.ingestGrpcPort, unseenTenant, "Bearer " + unseenKey)) {
            // A client that has been sending: its key is known to ingest, which keeps trusting it while the key
            // store (PostgreSQL) is down, so the outage reaches the client as the database's, retryable.
            grpc.export(Protos.request("svc", List.of(Protos.span(OtlpJson.randomHex(16), OtlpJson.randomHex(8), "warm",
                    t, t + 5))));
            suite.postgres.stopServer();
            try {
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> grpc.export(batch));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("database");
                // A key ingest has never seen cannot be checked now: retryable too, with RetryInfo.
                e = catchThrowableOfType(StatusRuntimeException.class, () -> unseen.export(batch));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).isEqualTo("API keys cannot be checked right now; retry later");
                assertThat(StatusProto.fromThrowable(e).getDetailsList()).anySatisfy(any ->
                        assertThat(any.is(RetryInfo.class)).isTrue());
            } finally {
                suite.postgres.startServer();
            }
            assertThat(grpc.export(batch).hasPartialSuccess()).isFalse();
        }
        Llm.query(suite, tenant).get("/api/v1/traces/" + trace).then().statusCode(200).body("spanCount", equalTo(1));
    }
}
