package io.llmobservatory.e2e;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.llmobservatory.testkit.PostgresCluster;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of ingest, enrich and query against one PostgreSQL, wired as on Kubernetes: ingest reads the enrich
 * replicas from DNS (a hosts file it re-reads stands in for the headless Service; the enrich replicas listen on
 * 127.0.0.2 and 127.0.0.3 on one port, like pods) and routes each trace to one of them. In order: all four
 * migrating services start at once on an empty database (none ready while another holds the migration lock; each
 * migration applied once); tail sampling keeps or drops whole traces whose spans reach different ingest replicas; under load from
 * real SDK exporters spread over both ingest replicas, one enrich replica is killed with SIGKILL and started again,
 * then taken out of DNS and put back. Every acknowledged span is stored once, the rollups (two drainers) equal the
 * raw facts, and clients only ever saw retryable codes. No timing assertion: every wait is for a condition.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {
    private static final String OPERATOR_KEY = Suite.OPERATOR_KEY;
    private static final String REPLICAS_HOST = "enrich-replicas.test";
    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";
    /** Flyway's advisory lock for "public"."flyway_schema_history" (PostgreSQLAdvisoryLockTemplate). */
    private static final long FLYWAY_LOCK = 77431708279161L + "\"public\".\"flyway_schema_history\"".hashCode();
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.DEADLINE_EXCEEDED);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static PostgresCluster postgres;
    private static Path logs;
    private static Path hosts;
    private static final Map<String, Process> processes = new LinkedHashMap<>();
    private static int enrichPort;
    private static final int[] queryPorts = new int[2];
    private static final int[] ingestHttp = new int[2];
    private static final int[] ingestGrpc = new int[2];

    @BeforeAll
    static void start() throws IOException {
        logs = Files.createDirectories(Suite.projectRoot().resolve("e2e/target/replicas-logs"));
        try (var old = Files.list(logs)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        hosts = logs.resolve("hosts");
        // The JDK's resolver reads only this file when it is set: localhost too.
        writeHosts(A, B);
        postgres = PostgresCluster.start();
        enrichPort = Suite.freePort();
        for (int i = 0; i < 2; i++) {
            queryPorts[i] = Suite.freePort();
            ingestHttp[i] = Suite.freePort();
            ingestGrpc[i] = Suite.freePort();
        }
    }

    @AfterAll
    static void stop() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void replicasStartingTogetherOnAnEmptyDatabaseApplyEachMigrationOnceAndAreNotReadyWhileWaiting() throws Exception {
        // Another migrator holds Flyway's lock: every replica starts, connects, and waits, not ready.
        Thread holder = new Thread(() -> {
            try {
                postgres.psql("SELECT pg_advisory_lock(" + FLYWAY_LOCK + "); SELECT pg_sleep(600)");
            } catch (RuntimeException e) {
                // terminated below: the lock is released
            }
        }, "flyway-lock-holder");
        holder.start();
        await("the lock held", 30, () -> postgres.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted").equals("1"));

        startEnrich("enrich-a", A);
        startEnrich("enrich-b", B);
        startQuery("query-a", queryPorts[0]);
        startQuery("query-b", queryPorts[1]);
        for (String s : List.of("enrich-a", "enrich-b", "query-a", "query-b")) {
            await(s + " connected to the database", 180, () -> log(s).contains("FlywayExecutor] Database:"));
        }
        assertThat(ready(A, enrichPort)).as("enrich-a ready while waiting for the migration lock").isFalse();
        assertThat(ready(B, enrichPort)).as("enrich-b ready while waiting for the migration lock").isFalse();
        assertThat(ready("127.0.0.1", queryPorts[0])).as("query-a ready while waiting").isFalse();
        assertThat(ready("127.0.0.1", queryPorts[1])).as("query-b ready while waiting").isFalse();
        assertThat(postgres.psql("SELECT to_regclass('flyway_schema_history') IS NULL")).isEqualTo("t");

        postgres.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%'"
                + " AND pid <> pg_backend_pid()");
        holder.join(30_000);
        awaitReady("enrich-a", A, enrichPort);
        awaitReady("enrich-b", B, enrichPort);
        awaitReady("query-a", "127.0.0.1", queryPorts[0]);
        awaitReady("query-b", "127.0.0.1", queryPorts[1]);

        assertThat(postgres.psql("SELECT count(*) = count(DISTINCT version) AND bool_and(success) AND count(*) > 10"
                + " FROM flyway_schema_history WHERE version IS NOT NULL")).as("each migration applied once").isEqualTo("t");
        // Flyway takes its lock per migration (transactional lock): the replicas may take turns, but each migration
        // is applied by exactly one of them, and the others find it applied.
        java.util.regex.Pattern migrating = java.util.regex.Pattern.compile("Migrating schema \"public\" to version \"(\\d+) ");
        Map<String, List<String>> appliedBy = new java.util.TreeMap<>();
        for (String s : List.of("enrich-a", "enrich-b", "query-a", "query-b")) {
            java.util.regex.Matcher m = migrating.matcher(log(s));
            while (m.find()) {
                appliedBy.computeIfAbsent(m.group(1), v -> new ArrayList<>()).add(s);
            }
        }
        assertThat(appliedBy.keySet()).as("migrations applied").hasSize(Integer.parseInt(postgres.psql(
                "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL")));
        assertThat(appliedBy.values()).as("replicas that applied each migration").allSatisfy(by -> assertThat(by).hasSize(1));

        startIngest(0);
        startIngest(1);
        awaitReady("ingest-0", "127.0.0.1", ingestHttp[0]);
        awaitReady("ingest-1", "127.0.0.1", ingestHttp[1]);
        for (int i = 0; i < 2; i++) {
            int port = ingestHttp[i];
            await("ingest-" + i + " resolves both enrich replicas", 60, () -> replicasSeen(port, "resolved") == 2);
        }
    }

    @Test
    @Order(2)
    void tailSamplingKeepsOrDropsWholeTracesWhoseSpansReachDifferentIngestReplicas() throws Exception {
        String tenant = Llm.newTenant("replicas-tail");
        String bearer = "Bearer " + createKey(tenant);
        List<CompletableResultCode> exports = new CopyOnWriteArrayList<>();
        SdkTracerProvider viaA = Llm.provider("frontend", new AwaitedExporter(OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + ingestGrpc[0]).addHeader("Authorization", bearer).build(), exports));
        SdkTracerProvider viaB = Llm.provider("backend", new AwaitedExporter(OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + ingestHttp[1] + "/v1/traces").addHeader("Authorization", bearer)
                .build(), exports));
        Tracer front = viaA.get("front");
        Tracer back = viaB.get("back");
        // Both paths warm first (a trace without the kept attribute and no LLM call: dropped, nothing stored), so the
        // first traces' spans are not held back by cold connections beyond the decision wait.
        Span warm = front.spanBuilder("warm-up").setSpanKind(SpanKind.SERVER).startSpan();
        back.spanBuilder("warm-up child").setParent(Context.root().with(warm)).startSpan().end();
        warm.end();
        CompletableResultCode.ofAll(exports).join(60, TimeUnit.SECONDS);
        assertThat(exports).allMatch(CompletableResultCode::isSuccess);
        Set<String> kept = new HashSet<>();
        Set<String> all = new HashSet<>();
        int traces = 80;
        for (int i = 0; i < traces; i++) {
            // Three spans, exported one by one (a span as it ends) through two SDKs to two ingest replicas; only the
            // middle one, sent through the other replica, carries what the policy keeps.
            Span root = front.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER).startSpan();
            Context ctx = Context.root().with(root);
            Span call = back.spanBuilder("chat gpt-4o").setParent(ctx).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("gen_ai.provider.name", "openai").setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", "gpt-4o").setAttribute("gen_ai.usage.input_tokens", 100L)
                    .setAttribute("gen_ai.usage.output_tokens", 20L).setAttribute("keep", i % 2 == 0 ? "yes" : "no")
                    .startSpan();
            call.end();
            front.spanBuilder("render").setParent(ctx).startSpan().end();
            root.end();
            String traceId = root.getSpanContext().getTraceId();
            all.add(traceId);
            if (i % 2 == 0) {
                kept.add(traceId);
            }
        }
        CompletableResultCode.ofAll(exports).join(60, TimeUnit.SECONDS);
        assertThat(exports).allMatch(CompletableResultCode::isSuccess);
        viaA.shutdown();
        viaB.shutdown();

        // Each trace is decided once, by the replica that held all of it: kept whole or dropped whole.
        String where = " FROM spans WHERE tenant = '" + tenant + "'";
        await("the kept traces stored", 120, () -> Long.parseLong(postgres.psql("SELECT count(*)" + where)) >= 3L * kept.size());
        await("every trace decided on both replicas", 60, () -> sum(metrics(A, enrichPort), "observatory_enrich_sampling_buffered_traces", "") == 0
                && sum(metrics(B, enrichPort), "observatory_enrich_sampling_buffered_traces", "") == 0);
        Map<String, Integer> spansPerTrace = new HashMap<>();
        for (String row : postgres.psql("SELECT encode(trace_id, 'hex') || ' ' || count(*)" + where + " GROUP BY trace_id")
                .split("\n")) {
            String[] parts = row.split(" ");
            spansPerTrace.put(parts[0], Integer.parseInt(parts[1]));
        }
        assertThat(spansPerTrace.keySet()).as("traces stored").isEqualTo(kept);
        assertThat(spansPerTrace.values()).as("spans per stored trace").containsOnly(3);
        // The LLM-call facts of every trace, kept or not; both enrich replicas had traces to decide.
        assertThat(postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.valueOf(traces));
        assertThat(sum(metrics(A, enrichPort), "observatory_enrich_llm_calls_total", "")).isPositive();
        assertThat(sum(metrics(B, enrichPort), "observatory_enrich_llm_calls_total", "")).isPositive();
        assertThat(all).hasSize(traces);
    }

    @Test
    @Order(3)
    void anEnrichReplicaKilledUnderLoadThenTakenOutOfDnsAndBackLosesNothingAcknowledged() throws Exception {
        // Tail sampling acknowledges spans it holds before it stores them (ARCHITECTURE.md): the kill runs without it.
        restartEnrich("enrich-a", A, Map.of("OBSERVATORY_ENRICH_SAMPLING_MODE", "none"));
        restartEnrich("enrich-b", B, Map.of("OBSERVATORY_ENRICH_SAMPLING_MODE", "none"));
        String tenant = Llm.newTenant("replicas-load");
        try (Load load = new Load(tenant, "Bearer " + createKey(tenant))) {
            load.start();
            load.awaitMore(300);

            // SIGKILL: ingest routes B's traces to A, the clients see retryable codes at most.
            Process b = processes.remove("enrich-b");
            b.destroyForcibly();
            b.waitFor(30, TimeUnit.SECONDS);
            load.awaitMore(600);
            startEnrich("enrich-b", B, Map.of("OBSERVATORY_ENRICH_SAMPLING_MODE", "none"));
            awaitReady("enrich-b", B, enrichPort);
            await("traffic spread to enrich-b again", 120, () -> llmCalls(B) > 0);

            // Out of DNS (a pod going away): no more traces reach it, without restarting ingest.
            writeHosts(A);
            for (int i = 0; i < 2; i++) {
                int port = ingestHttp[i];
                await("ingest-" + i + " re-resolved one replica", 60, () -> replicasSeen(port, "resolved") == 1);
            }
            // (Calls already on their way to B when it left DNS may still end there: wait for a quiet stretch.)
            await("no more traffic to enrich-b once out of DNS", 180, () -> {
                long calls = llmCalls(B);
                load.awaitMore(400);
                return llmCalls(B) == calls;
            });
            long before = llmCalls(B);

            // Back in DNS: traffic spreads again.
            writeHosts(A, B);
            for (int i = 0; i < 2; i++) {
                int port = ingestHttp[i];
                await("ingest-" + i + " re-resolved two replicas", 60, () -> replicasSeen(port, "resolved") == 2);
            }
            await("traffic back on enrich-b", 120, () -> llmCalls(B) > before);
            load.awaitMore(300);
            load.stopAndFlush();
            load.reconcile();
        }
        // Both query replicas answer from the same facts.
        String key = createKey(tenant);
        String calls = postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'");
        for (int port : queryPorts) {
            var costs = io.restassured.path.json.JsonPath.from(get("127.0.0.1", port, "/api/v1/costs/by-model?from=1h", key));
            assertThat(costs.getList("models.requests", Long.class).stream().mapToLong(Long::longValue).sum())
                    .as("calls counted by the query replica on " + port).isEqualTo(Long.parseLong(calls));
        }
    }

    /** SDK applications (gRPC to ingest-0, HTTP to ingest-1) and a raw gRPC client alternating between both. */
    private static final class Load implements AutoCloseable {
        final String tenant;
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> llmSpans = ConcurrentHashMap.newKeySet();
        final List<Status.Code> rawCodes = new CopyOnWriteArrayList<>();
        final AtomicInteger failedExports = new AtomicInteger();
        final List<CompletableResultCode> exports = new CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<SdkTracerProvider> providers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final String bearer;

        Load(String tenant, String bearer) {
            this.tenant = tenant;
            this.bearer = bearer;
            RetryPolicy retry = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(1))
                    .setMaxBackoff(Duration.ofSeconds(8)).setBackoffMultiplier(2).build();
            providers.add(provider(OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + ingestGrpc[0])
                    .addHeader("Authorization", bearer).setTimeout(Duration.ofSeconds(30)).setRetryPolicy(retry).build()));
            providers.add(provider(OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + ingestHttp[1] + "/v1/traces")
                    .addHeader("Authorization", bearer).setTimeout(Duration.ofSeconds(30)).setRetryPolicy(retry).build()));
        }

        private SdkTracerProvider provider(SpanExporter exporter) {
            return SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(
                    new AwaitedExporter(exporter, exports, this::recordOutcome))
                    .setMaxQueueSize(200_000).setMaxExportBatchSize(128).setScheduleDelay(Duration.ofMillis(200))
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
                        Suite.sleep(50);
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

        /** Batches of 20 LLM spans, each batch to the other ingest replica; the same batch again on a transient code. */
        private void rawClient() {
            try (RawGrpc zero = new RawGrpc(ingestGrpc[0], tenant, bearer);
                 RawGrpc one = new RawGrpc(ingestGrpc[1], tenant, bearer)) {
                int n = 0;
                while (running.get()) {
                    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
                    long t = OtlpJson.nowNanos() - 2_000_000_000L;
                    for (int i = 0; i < 20; i++) {
                        spans.add(Protos.chat(OtlpJson.randomHex(16), OtlpJson.randomHex(8), t, "gpt-4o", 100, 20));
                    }
                    var batch = Protos.request("raw", spans);
                    for (int attempt = 0; attempt < 60; attempt++) {
                        try {
                            (n++ % 2 == 0 ? zero : one).export(batch);
                            spans.forEach(s -> {
                                String id = java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray());
                                acknowledged.add(id);
                                llmSpans.add(id);
                            });
                            break;
                        } catch (StatusRuntimeException e) {
                            rawCodes.add(e.getStatus().getCode());
                            if (!TRANSIENT.contains(e.getStatus().getCode())) {
                                break;
                            }
                            Suite.sleep(500);
                        }
                    }
                    Suite.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Waits until {@code more} spans beyond those acknowledged so far are acknowledged. */
        void awaitMore(int more) {
            int target = acknowledged.size() + more;
            await(target + " spans acknowledged", 180, () -> acknowledged.size() >= target);
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
            Set<String> stored = new HashSet<>(List.of(postgres.psql("SELECT encode(span_id, 'hex') FROM spans "
                    + "WHERE tenant = '" + tenant + "'").split("\n")));
            assertThat(stored).as("stored span ids").containsAll(acknowledged);
            assertThat(stored).as("nothing stored that no client sent").hasSameSizeAs(acknowledged);
            assertThat(Long.parseLong(postgres.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")))
                    .isEqualTo(llmSpans.size());
            // Two drainers (one per enrich replica) took turns: the rollups equal the raw facts once drained.
            for (String queue : List.of("llm_call_rollup_queue", "llm_call_user_rollup_queue")) {
                await(queue + " drained", 120, () -> postgres.psql("SELECT count(*) FROM " + queue + " WHERE tenant = '"
                        + tenant + "'").equals("0"));
            }
            for (String rollup : List.of("llm_calls_model_1h", "llm_calls_1h")) {
                assertThat(postgres.psql("SELECT (SELECT coalesce(sum(requests), 0) FROM " + rollup + " WHERE tenant = '"
                        + tenant + "') = (SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "')"))
                        .as(rollup + " equals the raw facts").isEqualTo("t");
            }
        }

        @Override
        public void close() {
            running.set(false);
            providers.forEach(SdkTracerProvider::shutdown);
        }

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

    // --- the processes -------------------------------------------------------------------------------------------

    private static void writeHosts(String... enrich) {
        StringBuilder text = new StringBuilder("127.0.0.1 localhost\n");
        for (String address : enrich) {
            text.append(address).append(' ').append(REPLICAS_HOST).append('\n');
        }
        try {
            Path next = hosts.resolveSibling("hosts.next");
            Files.writeString(next, text);
            Files.move(next, hosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> dbEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("OBSERVATORY_ENRICH_PII_HASH_KEY", "e2e-replicas-pii-hash-key-" + OPERATOR_KEY.hashCode());
        env.put("OBSERVATORY_DB_URL", postgres.url());
        env.put("OBSERVATORY_DB_USER", postgres.user());
        env.put("OBSERVATORY_AUTH_QUERY_PORT", String.valueOf(queryPorts[0]));
        env.put("OBSERVATORY_AUTH_OPERATOR_KEY", OPERATOR_KEY);
        env.put("OBSERVATORY_AUTH_CACHE_TTL", "2s");
        return env;
    }

    private static void startEnrich(String name, String address) {
        startEnrich(name, address, Map.of());
    }

    /** An enrich replica on its own loopback address, the port shared like a pod's; tail sampling unless overridden. */
    private static void startEnrich(String name, String address, Map<String, String> extra) {
        Map<String, String> env = dbEnv(enrichPort);
        env.put("QUARKUS_HTTP_HOST", address);
        env.put("OBSERVATORY_ENRICH_SAMPLING_MODE", "tail");
        // Long enough for every span of a trace to arrive while 240 single-span exports queue on a busy CI machine
        // (a span arriving after its trace's decision follows that decision, so a late kept span would be lost).
        env.put("OBSERVATORY_ENRICH_SAMPLING_TAIL_DECISION_WAIT", "15s");
        env.put("OBSERVATORY_ENRICH_SAMPLING_TAIL_POLICIES",
                "[{\"name\": \"keep\", \"type\": \"string_attribute\", \"string_attribute\": {\"key\": \"keep\", \"values\": [\"yes\"]}}]");
        // Both drainers take turns often, so the rollups catch up within the test.
        env.put("OBSERVATORY_ENRICH_STORAGE_USER_ROLLUP_DRAIN_INTERVAL", "2s");
        env.putAll(extra);
        start("enrich", name, env, List.of());
    }

    private static void restartEnrich(String name, String address, Map<String, String> extra) throws InterruptedException {
        Process p = processes.remove(name);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        startEnrich(name, address, extra);
        awaitReady(name, address, enrichPort);
    }

    private static void startQuery(String name, int port) {
        start("query", name, dbEnv(port), List.of());
    }

    /** Ingest as on Kubernetes: the enrich replicas from DNS (the hosts file, re-read), routed by trace id. */
    private static void startIngest(int i) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ingestHttp[i]));
        env.put("QUARKUS_GRPC_SERVER_PORT", String.valueOf(ingestGrpc[i]));
        env.put("OBSERVATORY_INGEST_ENRICH_HOST", A);
        env.put("OBSERVATORY_INGEST_ENRICH_PORT", String.valueOf(enrichPort));
        env.put("OBSERVATORY_INGEST_ENRICH_REPLICAS_HOST", REPLICAS_HOST);
        env.put("OBSERVATORY_INGEST_ENRICH_REPLICAS_REFRESH", "1s");
        env.put("OBSERVATORY_INGEST_ENRICH_REPLICAS_DOWN_FOR", "3s");
        env.put("OBSERVATORY_INGEST_ENRICH_RETRY_AFTER", "1s");
        env.put("OBSERVATORY_AUTH_QUERY_PORT", String.valueOf(queryPorts[0]));
        env.put("OBSERVATORY_AUTH_OPERATOR_KEY", OPERATOR_KEY);
        env.put("OBSERVATORY_AUTH_CACHE_TTL", "2s");
        start("ingest", "ingest-" + i, env, List.of("-Djdk.net.hosts.file=" + hosts, "-Dsun.net.inetaddr.ttl=0"));
    }

    private static void start(String service, String name, Map<String, String> env, List<String> jvm) {
        Path jar = Suite.projectRoot().resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().putAll(env);
        try {
            processes.put(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String log(String name) {
        try {
            return Files.readString(logs.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean ready(String host, int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReady(String name, String host, int port) {
        await(name + " ready (log: " + logs.resolve(name + ".log") + ")", 240, () -> {
            Process p = processes.get(name);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + logs.resolve(name + ".log"));
            }
            return ready(host, port);
        });
    }

    private static String get(String host, int port, String path, String key) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String metrics(String host, int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a metric's samples whose labels contain {@code labels}. */
    private static double sum(String metrics, String name, String labels) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (line.contains(labels)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }

    private static long llmCalls(String enrich) {
        return (long) sum(metrics(enrich, enrichPort), "observatory_enrich_llm_calls_total", "");
    }

    private static long replicasSeen(int ingestHttpPort, String state) {
        return (long) sum(metrics("127.0.0.1", ingestHttpPort), "observatory_ingest_enrich_replicas",
                "state=\"" + state + "\"");
    }

    private static String createKey(String tenant) {
        return Suite.asOperator().baseUri("http://127.0.0.1:" + queryPorts[0]).contentType("application/json")
                .body(Map.of("tenant", tenant, "scopes", List.of("ingest", "query"), "name", "replicas"))
                .post("/api/v1/admin/keys").then().statusCode(201).extract().path("token");
    }

    private static void await(String what, int seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Suite.sleep(250);
        }
    }
}
