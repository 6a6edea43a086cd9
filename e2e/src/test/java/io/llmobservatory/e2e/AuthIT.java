package io.llmobservatory.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesRequest;
import io.llmobservatory.shared.pipeline.v1.PipelineGrpc;
import io.llmobservatory.shared.query.v1.LlmStatsGrpc;
import io.llmobservatory.shared.query.v1.ModelWindowRequest;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

/**
 * Keys through the whole suite: ingest (gRPC and HTTP, real SDK exporter) refuses missing keys, wrong scopes and a
 * tenant header naming another tenant; data lands in the key's tenant; revocation reaches ingest within the cache
 * lifetime; enrich's admin API and the alerting API are tenant- and operator-scoped; the internal gRPC ports refuse
 * calls without the operator key.
 */
class AuthIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void ingestRefusesMissingAndUnknownKeysWithoutSayingWhy() throws Exception {
        String tenant = Llm.newTenant("auth-none");
        for (String authorization : new String[]{null, "Bearer obs_0123456789abcdef_" + "x".repeat(43), "Basic abc"}) {
            try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant, authorization)) {
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                        () -> grpc.export(batch(OtlpJson.randomHex(16))));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).isEqualTo("missing or invalid API key");
            }
        }
        RestAssured.given().baseUri(suite.ingestHttpUrl()).contentType("application/json").body("{}")
                .post("/v1/traces").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("message", equalTo("missing or invalid API key"));

        // A real SDK exporter without a key: the export fails (and is not retried: UNAUTHENTICATED is permanent).
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort).build();
        SdkTracerProvider provider = Llm.provider("no-key-app", exporter);
        Llm.chatTrace(provider.get("e2e"), "openai", "gpt-4o", 10, 10, null, "u", false);
        assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
        provider.shutdown();
        assertThat(suite.postgres.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("0");
    }

    @Test
    void dataLandsInTheKeysTenantAndAnotherTenantHeaderIsRefused() throws Exception {
        String a = Llm.newTenant("auth-a");
        String b = Llm.newTenant("auth-b");
        String trace = OtlpJson.randomHex(16);
        try (RawGrpc wrongTenant = new RawGrpc(suite.ingestGrpcPort, b, "Bearer " + suite.key(a))) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> wrongTenant.export(batch(trace)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, a))
                .header(Llm.TENANT_HEADER, b).contentType("application/json").body("{}")
                .post("/v1/traces").then().statusCode(403);
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, a)) {
            assertThat(grpc.export(batch(trace)).hasPartialSuccess()).isFalse();
        }
        Llm.query(suite, a).get("/api/v1/traces/" + trace).then().statusCode(200);
        Llm.query(suite, b).get("/api/v1/traces/" + trace).then().statusCode(404);
        // x-api-key works like Bearer on OTLP/HTTP.
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("x-api-key", suite.key(a))
                .contentType("application/json").body("{}").post("/v1/traces").then().statusCode(200);
    }

    @Test
    void scopesAreEnforcedAtIngest() throws Exception {
        String tenant = Llm.newTenant("auth-scope");
        String queryOnly = suite.createKey(tenant, List.of("query"));
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant, "Bearer " + queryOnly)) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> grpc.export(batch(OtlpJson.randomHex(16))));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo("this API key lacks the 'ingest' scope");
        }
        String ingestOnly = suite.createKey(tenant, List.of("ingest"));
        RestAssured.given().baseUri(suite.queryUrl()).header("Authorization", "Bearer " + ingestOnly)
                .get("/api/v1/costs/by-model").then().statusCode(403);
    }

    @Test
    void aRevokedKeyIsRefusedByIngestWithinTheCacheLifetime() throws Exception {
        String tenant = Llm.newTenant("auth-revoke");
        String token = suite.createKey(tenant, List.of("ingest"));
        String id = token.substring(4, 20);
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant, "Bearer " + token)) {
            assertThat(grpc.export(batch(OtlpJson.randomHex(16))).hasPartialSuccess()).isFalse();
            Suite.asOperator().baseUri(suite.queryUrl()).delete("/api/v1/admin/keys/" + id).then().statusCode(200);
            // The suite's cache lifetime is 2 s.
            Status.Code code = Status.Code.OK;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (code != Status.Code.UNAUTHENTICATED && System.nanoTime() < deadline) {
                try {
                    grpc.export(batch(OtlpJson.randomHex(16)));
                    Suite.sleep(250);
                } catch (StatusRuntimeException e) {
                    code = e.getStatus().getCode();
                }
            }
            assertThat(code).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Test
    void enrichAdminIsTenantScopedAndPricesAreTheOperators() {
        String a = Llm.newTenant("auth-admin-a");
        String b = Llm.newTenant("auth-admin-b");
        String adminA = suite.createKey(a, List.of("admin"));
        String enrich = "http://127.0.0.1:" + suite.enrichPort;
        String window = "\"from\": \"" + Instant.now().minusSeconds(600) + "\", \"to\": \"" + Instant.now() + "\"";

        RestAssured.given().baseUri(enrich).contentType("application/json").body("{" + window + "}")
                .post("/admin/v1/recompute").then().statusCode(401);
        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + suite.key(a))
                .contentType("application/json").body("{" + window + "}").post("/admin/v1/recompute")
                .then().statusCode(403);
        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA).contentType("application/json")
                .body("{" + window + ", \"tenant\": \"" + b + "\"}").post("/admin/v1/recompute").then().statusCode(403);
        // The tenant header naming another tenant is refused here as on every other API.
        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA).header("X-Scope-OrgID", b)
                .contentType("application/json").body("{" + window + "}").post("/admin/v1/recompute")
                .then().statusCode(403);
        // Without a tenant, a tenant's key re-prices its own tenant only.
        String own = RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA)
                .contentType("application/json").body("{" + window + "}").post("/admin/v1/recompute")
                .then().statusCode(202).body("tenant", equalTo(a)).extract().path("id");
        String other = Suite.asOperator().baseUri(enrich).contentType("application/json")
                .body("{" + window + ", \"tenant\": \"" + b + "\"}").post("/admin/v1/recompute")
                .then().statusCode(202).extract().path("id");
        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA)
                .get("/admin/v1/recompute/" + other).then().statusCode(404);
        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA)
                .get("/admin/v1/recompute/" + own).then().statusCode(200);
        List<String> tenants = RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA)
                .get("/admin/v1/recompute").then().statusCode(200).extract().path("tenant");
        assertThat(tenants).isNotEmpty().containsOnly(a);

        RestAssured.given().baseUri(enrich).header("Authorization", "Bearer " + adminA).contentType("application/json")
                .body("{\"tenant\": \"" + a + "\", \"model\": \"gpt-4o\", \"outputMtok\": 1}")
                .put("/admin/v1/prices/overrides/auth-" + a).then().statusCode(403);
        Suite.asOperator().baseUri(enrich).get("/admin/v1/prices/overrides").then().statusCode(200);
    }

    @Test
    void theAlertingApiIsTheOperators() {
        String alerting = "http://127.0.0.1:" + suite.alertingPort;
        RestAssured.given().baseUri(alerting).get("/api/v1/rules").then().statusCode(401);
        String adminA = suite.createKey(Llm.newTenant("auth-alert"), List.of("admin", "query"));
        RestAssured.given().baseUri(alerting).header("Authorization", "Bearer " + adminA).get("/api/v1/rules")
                .then().statusCode(403);
        RestAssured.given().baseUri(alerting).header("Authorization", "Bearer " + adminA).contentType("application/json")
                .body(Map.of("groups", List.of())).put("/api/v1/rules").then().statusCode(403);
        Suite.asOperator().baseUri(alerting).get("/api/v1/rules").then().statusCode(200);
    }

    @Test
    void internalGrpcPortsRefuseCallsWithoutTheOperatorKey() throws Exception {
        ManagedChannel enrich = ManagedChannelBuilder.forAddress("127.0.0.1", suite.enrichPort).usePlaintext().build();
        ManagedChannel query = ManagedChannelBuilder.forAddress("127.0.0.1", suite.queryPort).usePlaintext().build();
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> PipelineGrpc
                    .newBlockingStub(enrich).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .consumeTraces(ConsumeTracesRequest.newBuilder().setTenant("victim")
                            .setTraces(batch(OtlpJson.randomHex(16))).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            e = catchThrowableOfType(StatusRuntimeException.class, () -> LlmStatsGrpc.newBlockingStub(query)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .modelWindow(ModelWindowRequest.newBuilder().setTenant("victim").setWindowSeconds(3600).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        } finally {
            enrich.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            query.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static ExportTraceServiceRequest batch(String trace) {
        return Protos.request("svc", List.of(Protos.chat(trace, OtlpJson.randomHex(8), OtlpJson.nowNanos(), "gpt-4o",
                100, 10)));
    }

}
