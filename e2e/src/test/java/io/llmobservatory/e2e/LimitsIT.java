package io.llmobservatory.e2e;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Limits at the edge: a tenant over its rate is told to retry (RESOURCE_EXHAUSTED + RetryInfo, 429 + Retry-After)
 * and an SDK exporter's retries then store everything once; over-limit spans are truncated, not refused.
 */
class LimitsIT {
    private static Suite suite;

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        suite.restartIngest(Map.of("OBSERVATORY_INGEST_LIMITS_TENANT_ITEMS_PER_SECOND", "100",
                "OBSERVATORY_INGEST_LIMITS_MAX_ATTRIBUTES", "20",
                "OBSERVATORY_INGEST_LIMITS_MAX_ATTRIBUTE_VALUE_LENGTH", "1000"));
    }

    @AfterAll
    static void stop() throws Exception {
        suite.restartIngest(Map.of());
    }

    @Test
    void aTenantOverItsRateIsToldToRetryAndTheRetriesStoreEverythingOnce() throws Exception {
        String tenant = Llm.newTenant("rate");
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant)) {
            grpc.export(batch(100));
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> grpc.export(batch(50)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).startsWith("tenant '" + tenant + "' is over its rate limit of 100");
            assertThat(StatusProto.fromThrowable(e).getDetailsList()).anySatisfy(any ->
                    assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isPositive());
        }
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .contentType("application/json").body(OtlpJson.request("svc", jsonSpans(100)).getBytes(StandardCharsets.UTF_8))
                .post("/v1/traces").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());

        // A real SDK exporter sending 400 spans at once to a tenant limited to 100/s: its retries get them all in.
        String sdkTenant = Llm.newTenant("rate-sdk");
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                .addHeader("Authorization", Llm.bearer(suite, sdkTenant)).setTimeout(Duration.ofSeconds(60))
                // Backoffs (±20 % jitter) longer than the bucket's one-second refill: five attempts ride out a refusal
                // and a few seconds of enrich or PostgreSQL being slow, as after FaultsUnderLoadIT's restarts.
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(2))
                        .setMaxBackoff(Duration.ofSeconds(5)).setBackoffMultiplier(1.5).build())
                .build();
        // The exporter's own results, awaited: a BatchSpanProcessor's flush may return while an export it did not start
        // for the flush is still retrying.
        List<CompletableResultCode> exports = new CopyOnWriteArrayList<>();
        SpanExporter awaited = new AwaitedExporter(exporter, exports);
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(awaited)
                .setMaxExportBatchSize(200).setMaxQueueSize(1000).build()).build();
        for (int i = 0; i < 4; i++) {
            // Four flushes of 100 LLM traces (200 spans) each.
            for (int j = 0; j < 100; j++) {
                Llm.chatTrace(provider.get("e2e"), "openai", "gpt-4o", 10, 10, null, "u", false);
            }
            provider.forceFlush().join(60, TimeUnit.SECONDS);
        }
        // Shutting down exports whatever is still queued and waits for it.
        provider.shutdown().join(90, TimeUnit.SECONDS);
        CompletableResultCode all = CompletableResultCode.ofAll(exports).join(90, TimeUnit.SECONDS);
        assertThat(all.isSuccess()).as("every export eventually acknowledged; the failed ones: %s", failures(exports))
                .isTrue();
        assertThat(exports.size()).as("exports, with the refused ones retried inside them").isGreaterThanOrEqualTo(4);
        assertThat(suite.postgres.psql("SELECT count(*) FROM spans WHERE tenant = '" + sdkTenant + "'")).isEqualTo("800");
        assertThat(suite.postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + sdkTenant + "'")).isEqualTo("400");
    }

    @Test
    void overLimitSpansAreTruncatedAndTheDropsRecorded() throws Exception {
        String tenant = Llm.newTenant("limits");
        String trace = OtlpJson.randomHex(16);
        Span.Builder span = Protos.span(trace, OtlpJson.randomHex(8), "wide", OtlpJson.nowNanos(),
                OtlpJson.nowNanos() + 1000).toBuilder();
        span.addAttributes(KeyValue.newBuilder().setKey("gen_ai.prompt.0.content")
                .setValue(AnyValue.newBuilder().setStringValue("p".repeat(5000))));
        for (int i = 0; i < 29; i++) {
            span.addAttributes(KeyValue.newBuilder().setKey("k" + i).setValue(AnyValue.newBuilder().setIntValue(i)));
        }
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant)) {
            assertThat(grpc.export(Protos.request("svc", List.of(span.build()))).hasPartialSuccess()).isFalse();
        }
        assertThat(suite.postgres.psql("SELECT dropped_attributes_count || ' ' || (SELECT count(*) FROM "
                + "jsonb_object_keys(attributes)) || ' ' || length(attributes ->> 'gen_ai.prompt.0.content') FROM spans "
                + "WHERE tenant = '" + tenant + "'")).isEqualTo("10 20 1000");
        assertThat(RestAssured.get(suite.ingestHttpUrl() + "/q/metrics").asString())
                .contains("observatory_ingest_span_limit_truncations_total{what=\"attributes\"}")
                .contains("observatory_ingest_throttled_total{reason=\"tenant_rate\"}");
    }

    /** What each export that did not succeed ended with (a throwable, or "still running"), for the failure message. */
    private static List<String> failures(List<CompletableResultCode> exports) {
        List<String> failed = new ArrayList<>();
        for (CompletableResultCode export : exports) {
            if (!export.isDone()) {
                failed.add("still running");
            } else if (!export.isSuccess()) {
                failed.add(String.valueOf(export.getFailureThrowable()));
            }
        }
        return failed;
    }

    private static List<String> jsonSpans(int n) {
        List<String> spans = new ArrayList<>();
        long t = OtlpJson.nowNanos();
        for (int i = 0; i < n; i++) {
            spans.add(OtlpJson.span(OtlpJson.randomHex(16), OtlpJson.randomHex(8), "x", t, t + 1));
        }
        return spans;
    }

    private static ExportTraceServiceRequest batch(int spans) {
        List<Span> list = new ArrayList<>();
        long t = OtlpJson.nowNanos();
        for (int i = 0; i < spans; i++) {
            list.add(Protos.span(OtlpJson.randomHex(16), OtlpJson.randomHex(8), "s", t, t + 1));
        }
        return Protos.request("svc", list);
    }
}
