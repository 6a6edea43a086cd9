package io.llmobservatory.e2e;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults under load from real OTLP SDK clients (gRPC and HTTP exporters with their retry policies) and a raw gRPC
 * client that records every status it is answered: enrich killed with SIGKILL and restarted, PostgreSQL restarted,
 * Tempo and Loki stalled. Afterwards every span a client was told was accepted is stored exactly once (reconciled
 * by span id, LLM-call facts and their rollups counted), and no client saw a non-retryable error.
 */
class FaultsUnderLoadIT {
    private static final String MODEL_QUEUE = "llm_call_rollup_queue";
    private static final String USER_QUEUE = "llm_call_user_rollup_queue";
    /** The codes a client may see during a transient fault: all retryable by the OTLP specification. */
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.DEADLINE_EXCEEDED);
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void enrichKilledAndPostgresRestartedUnderLoadLoseNothingAcknowledged() throws Exception {
        killEnrichAndRestartPostgresUnderLoad(Map.of());
    }

    /**
     * The same with enrich's write-ahead log: batches are acknowledged once logged, so the kill leaves logged batches
     * not yet in PostgreSQL (written when enrich restarts) and the restart of PostgreSQL is retried from the log.
     */
    @Test
    @DisabledIfEnvironmentVariable(named = "OBSERVATORY_PG_LAYOUT", matches = "timescaledb",
            disabledReason = "the log does not depend on the storage layout: run once, to keep CI's time")
    void withAWriteAheadLogEnrichKilledAndPostgresRestartedUnderLoadLoseNothingAcknowledged() throws Exception {
        Map<String, String> logged = Map.of("OBSERVATORY_ENRICH_WAL_DIR",
                Files.createTempDirectory("enrich-wal").toString());
        try {
            suite.restartEnrich(logged);
            killEnrichAndRestartPostgresUnderLoad(logged);
        } finally {
            suite.restartEnrich(Map.of());
        }
    }

    private void killEnrichAndRestartPostgresUnderLoad(Map<String, String> enrichEnv) throws Exception {
        String tenant = Llm.newTenant("faults");
        try (Load load = new Load(tenant)) {
            load.start();
            Suite.sleep(3000);
            suite.killEnrich();
            Suite.sleep(1000);
            suite.startEnrich(enrichEnv);
            suite.awaitEnrichReady();
            Suite.sleep(3000);
            suite.postgres.stopServer();
            Suite.sleep(1500);
            suite.postgres.startServer();
            Suite.sleep(4000);
            load.stopAndFlush();
            load.reconcile();
        }
    }

    @Test
    void stalledTempoAndLokiDoNotHoldUpOrLoseAnything() throws Exception {
        FakeStores.Tempo tempo = new FakeStores.Tempo(true);
        FakeStores.Loki loki = new FakeStores.Loki(true);
        try {
            suite.restartEnrich(Map.of(
                    "OBSERVATORY_ENRICH_STORES_TRACES", "both",
                    "OBSERVATORY_ENRICH_STORES_TEMPO_OTLP_ENDPOINT", "127.0.0.1:" + tempo.port(),
                    "OBSERVATORY_ENRICH_STORES_LOGS", "both",
                    "OBSERVATORY_ENRICH_STORES_LOKI_URL", "http://127.0.0.1:" + loki.port(),
                    "OBSERVATORY_ENRICH_STORES_EXPORT_TIMEOUT", "2s",
                    "OBSERVATORY_ENRICH_STORES_EXPORT_INITIAL_BACKOFF", "500ms",
                    "OBSERVATORY_ENRICH_STORES_EXPORT_MAX_BACKOFF", "2s",
                    "OBSERVATORY_ENRICH_STORES_EXPORT_MAX_ATTEMPTS", "20"));
            String tenant = Llm.newTenant("stall");
            try (Load load = new Load(tenant)) {
                load.start();
                // Logs during the stall are acknowledged (stored in PostgreSQL) without waiting for Loki.
                for (int i = 0; i < 12; i++) {
                    io.restassured.RestAssured.given().baseUri(suite.ingestHttpUrl())
                            .header("Authorization", Llm.bearer(suite, tenant)).contentType("application/json")
                            .body("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\""
                                    + OtlpJson.nowNanos() + "\",\"severityNumber\":9,\"body\":{\"stringValue\":\"line "
                                    + i + "\"}}]}]}]}")
                            .post("/v1/logs").then().statusCode(200);
                    Suite.sleep(500);
                }
                // Tempo and Loki answer nothing for 6 s (every request times out), then recover.
                tempo.stall.countDown();
                loki.stall.countDown();
                Suite.sleep(2000);
                load.stopAndFlush();
                load.reconcile();
                // The stall cost the clients nothing, and the Tempo copy caught up: every acknowledged span reached it.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!tempo.spanIds.containsAll(load.acknowledged) && System.nanoTime() < deadline) {
                    Suite.sleep(250);
                }
                assertThat(tempo.spanIds).containsAll(load.acknowledged);
                assertThat(tempo.tenants).containsOnly(tenant);
                assertThat(suite.postgres.psql("SELECT count(*) FROM logs WHERE tenant = '" + tenant + "'")).isEqualTo("12");
                while (loki.pushes.isEmpty() && System.nanoTime() < deadline) {
                    Suite.sleep(250);
                }
                assertThat(loki.pushes).isNotEmpty();
            }
        } finally {
            suite.restartEnrich(Map.of());
            tempo.close();
            loki.close();
        }
    }

    /** Three SDK applications (two gRPC, one HTTP) and a raw gRPC client, each sending LLM traces until stopped. */
    private static final class Load implements AutoCloseable {
        final String tenant;
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> llmSpans = ConcurrentHashMap.newKeySet();
        final List<Status.Code> rawCodes = new CopyOnWriteArrayList<>();
        final AtomicInteger failedExports = new AtomicInteger();
        /** Every SDK export's result: a processor's flush may return while an export it did not start still retries. */
        final List<CompletableResultCode> exports = new CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<SdkTracerProvider> providers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        Load(String tenant) {
            this.tenant = tenant;
            String bearer = Llm.bearer(suite, tenant);
            RetryPolicy retry = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(1))
                    .setMaxBackoff(Duration.ofSeconds(8)).setBackoffMultiplier(2).build();
            for (int i = 0; i < 2; i++) {
                providers.add(provider(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                        .addHeader("Authorization", bearer).setTimeout(Duration.ofSeconds(30)).setRetryPolicy(retry).build()));
            }
            providers.add(provider(OtlpHttpSpanExporter.builder().setEndpoint(suite.ingestHttpUrl() + "/v1/traces")
                    .addHeader("Authorization", bearer).setTimeout(Duration.ofSeconds(30)).setRetryPolicy(retry).build()));
        }

        private SdkTracerProvider provider(SpanExporter exporter) {
            return SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(
                    new AwaitedExporter(exporter, exports, this::recordOutcome))
                    .setMaxQueueSize(200_000).setMaxExportBatchSize(256).setScheduleDelay(Duration.ofMillis(200))
                    .build()).build();
        }

        void start() {
            for (SdkTracerProvider provider : providers) {
                Tracer tracer = provider.get("load");
                threads.add(started(() -> {
                    while (running.get()) {
                        for (int i = 0; i < 10; i++) {
                            Llm.chatTrace(tracer, "openai", "gpt-4o", 100, 20, null, "u" + (i % 3), false);
                        }
                        Suite.sleep(40);
                    }
                }));
            }
            threads.add(started(this::rawClient));
        }

        private static Thread started(Runnable r) {
            Thread t = new Thread(r, "load");
            t.start();
            return t;
        }

        /** Sends batches of 20 LLM spans; retries the same batch on a transient code, as RetryInfo says. */
        private void rawClient() {
            try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant)) {
                while (running.get()) {
                    List<Span> spans = new ArrayList<>();
                    long t = OtlpJson.nowNanos() - 2_000_000_000L;
                    for (int i = 0; i < 20; i++) {
                        spans.add(Protos.chat(OtlpJson.randomHex(16), OtlpJson.randomHex(8), t, "gpt-4o", 100, 20));
                    }
                    ExportTraceServiceRequest batch = Protos.request("raw", spans);
                    for (int attempt = 0; attempt < 60; attempt++) {
                        try {
                            grpc.export(batch);
                            spans.forEach(s -> {
                                String id = hex(s.getSpanId().toByteArray());
                                acknowledged.add(id);
                                llmSpans.add(id);
                            });
                            break;
                        } catch (StatusRuntimeException e) {
                            rawCodes.add(e.getStatus().getCode());
                            if (!TRANSIENT.contains(e.getStatus().getCode())) {
                                break;
                            }
                            com.google.rpc.Status details = StatusProto.fromThrowable(e);
                            long delay = 500;
                            if (details != null) {
                                for (var any : details.getDetailsList()) {
                                    if (any.is(RetryInfo.class)) {
                                        delay = any.unpack(RetryInfo.class).getRetryDelay().getSeconds() * 1000L;
                                    }
                                }
                            }
                            Suite.sleep(Math.max(100, delay));
                        }
                    }
                    Suite.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void stopAndFlush() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(120_000);
            }
            for (SdkTracerProvider p : providers) {
                p.forceFlush().join(120, TimeUnit.SECONDS);
            }
            CompletableResultCode.ofAll(exports).join(120, TimeUnit.SECONDS);
        }

        void reconcile() {
            assertThat(rawCodes).as("codes the raw client saw").allMatch(TRANSIENT::contains);
            assertThat(failedExports.get()).as("SDK exports that failed after their retries").isZero();
            assertThat(acknowledged).hasSizeGreaterThan(1000);
            // With a write-ahead log, acknowledged batches reach PostgreSQL shortly after: wait for them (without one,
            // they are there at once).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!storedSpanIds().containsAll(acknowledged) && System.nanoTime() < deadline) {
                sleep(250);
            }
            Set<String> stored = storedSpanIds();
            assertThat(stored).as("stored span ids").containsAll(acknowledged);
            assertThat(stored).as("nothing stored that no client sent").hasSameSizeAs(acknowledged);
            // LLM-call facts once per call; at any moment (enrich, and with it the rollup drainer, was killed under
            // load) the hourly model rollup plus the calls still queued for it count each call once, and so do the
            // hourly per-user rollup plus the calls in either stage's queue (V12); once the drainer's two stages have
            // emptied their queues, the rollups alone do.
            assertThat(Long.parseLong(suite.postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")))
                    .isEqualTo(llmSpans.size());
            assertThat(suite.postgres.psql("SELECT (SELECT coalesce(sum(requests), 0) FROM llm_calls_model_1h"
                    + " WHERE tenant = '" + tenant + "') + " + count(MODEL_QUEUE) + ", (SELECT coalesce(sum(requests), 0)"
                    + " FROM llm_calls_1h WHERE tenant = '" + tenant + "') + " + count(MODEL_QUEUE) + " + "
                    + count(USER_QUEUE))).as("rolled up + queued calls, per model and per user, in one snapshot")
                    .isEqualTo(llmSpans.size() + "|" + llmSpans.size());
            awaitEmpty(MODEL_QUEUE, 30);
            assertThat(rolledUp("llm_calls_model_1h")).as("calls in the model rollups").isEqualTo(llmSpans.size());
            // The user stage drains every 30 s (the default).
            awaitEmpty(USER_QUEUE, 75);
            assertThat(rolledUp("llm_calls_1h")).as("calls in the per-user rollups").isEqualTo(llmSpans.size());
        }

        private Set<String> storedSpanIds() {
            return new HashSet<>(List.of(suite.postgres.psql("SELECT encode(span_id, 'hex') FROM spans WHERE tenant = '"
                    + tenant + "'").split("\n")));
        }

        private void awaitEmpty(String queue, int seconds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (queued(queue) > 0 && System.nanoTime() < deadline) {
                sleep(200);
            }
            assertThat(queued(queue)).as("calls still in " + queue + " after " + seconds + " s").isZero();
        }

        private long rolledUp(String rollup) {
            return Long.parseLong(suite.postgres.psql("SELECT coalesce(sum(requests), 0) FROM " + rollup
                    + " WHERE tenant = '" + tenant + "'"));
        }

        private String count(String queue) {
            return "(SELECT count(*) FROM " + queue + " WHERE tenant = '" + tenant + "')";
        }

        private long queued(String queue) {
            return Long.parseLong(suite.postgres.psql("SELECT " + count(queue)));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            running.set(false);
            providers.forEach(SdkTracerProvider::shutdown);
        }

        /** Records the span ids of every export the server acknowledged, and counts the failed ones. */
        private void recordOutcome(Collection<SpanData> spans, boolean ok) {
            if (!ok) {
                failedExports.incrementAndGet();
                return;
            }
            for (SpanData s : spans) {
                acknowledged.add(s.getSpanId());
                if (s.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().equals("gen_ai.request.model"))) {
                    llmSpans.add(s.getSpanId());
                }
            }
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
