package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.storage.PricedCall;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.enrich.storage.WriteBatch;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write-ahead log's batches written to a real PostgreSQL by {@link LogApplier}: each once, again after a restart
 * without storing anything twice, retried through database failures, and set aside when refused.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LogApplierTest {
    private static final long MB = 1 << 20;
    /** The spans' attributes (JSON text) in a prepared batch: after the tenant, 5 key arrays and 12 span arrays. */
    private static final int SPAN_ATTRIBUTES = 18;

    @Inject
    LlmCallExtractor extractor;

    @Inject
    CostCalculator costs;

    @Inject
    TraceRepository repository;

    @TempDir
    Path dir;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void everyBatchIsWrittenOnceAndWritingTheWholeLogAgainAfterARestartStoresNothingTwice() throws Exception {
        String tenant = "wal-" + UUID.randomUUID();
        Path copy = Files.createDirectories(dir.resolve("as-before-any-write"));
        Path logDir = dir.resolve("log");
        try (WriteAheadLog log = WriteAheadLog.open(logDir, 64 * 1024, 64 * MB)) {
            for (int i = 0; i < 30; i++) {
                log.append(traceBatch(tenant).encode()).get(10, TimeUnit.SECONDS);
            }
            try (var files = Files.list(logDir)) {
                for (Path p : files.toList()) {
                    Files.copy(p, copy.resolve(p.getFileName()));
                }
            }
            try (LogApplier applier = new LogApplier(log, repository::write, 4, 8, logDir.resolve("rejected"),
                    new SimpleMeterRegistry())) {
                awaitWatermark(applier, log.end());
            }
            assertThat(counts(tenant)).isEqualTo("120|60|60");
        }
        // A crash before anything was written to PostgreSQL or checkpointed: the whole log, several segments, again.
        try (WriteAheadLog log = WriteAheadLog.open(copy, 64 * 1024, 64 * MB)) {
            assertThat(log.checkpointed()).isZero();
            try (var files = Files.list(copy)) {
                assertThat(files.filter(p -> p.toString().endsWith(".wal")).count()).as("segments").isGreaterThan(1);
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (LogApplier applier = new LogApplier(log, repository::write, 4, 8, copy.resolve("rejected"), registry)) {
                awaitWatermark(applier, log.end());
            }
            assertThat(registry.get("observatory.enrich.wal.applied.batches").counter().count()).isEqualTo(30);
            assertThat(counts(tenant)).isEqualTo("120|60|60");
        }
    }

    @Test
    void aFailingDatabaseIsRetriedUntilItCommitsAndARefusedBatchIsSetAsideNotDropped() throws Exception {
        String tenant = "wal-" + UUID.randomUUID();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        Function<WriteBatch, Uni<Void>> flaky = b -> failuresLeft.getAndDecrement() > 0
                ? Uni.createFrom().failure(new StorageException("database unavailable: connection refused", true, null))
                : repository.write(b);
        byte[] notABatch = "not a write batch".getBytes(StandardCharsets.UTF_8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            long first = log.append(traceBatch(tenant).encode()).get(10, TimeUnit.SECONDS);
            log.append(notABatch).get(10, TimeUnit.SECONDS);
            log.append(traceBatch(tenant).encode()).get(10, TimeUnit.SECONDS);
            try (LogApplier applier = new LogApplier(log, flaky, 1, 1, dir.resolve("rejected"), registry)) {
                awaitWatermark(applier, log.end());
            }
            assertThat(counts(tenant)).isEqualTo("8|4|4");
            assertThat(registry.get("observatory.enrich.wal.apply.failures").counter().count()).isEqualTo(3);
            assertThat(registry.get("observatory.enrich.wal.rejected.batches").counter().count()).isEqualTo(1);
            assertThat(Files.readAllBytes(dir.resolve("rejected").resolve(first + ".batch"))).isEqualTo(notABatch);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            assertThat(log.checkpointed()).as("checkpointed past all three").isEqualTo(log.end());
        }
    }

    @Test
    void aLoggedBatchDecodesToTheParametersItWasPreparedWithAndCutBytesAreRefused() {
        WriteBatch prepared = traceBatch("wal-codec");
        byte[] encoded = prepared.encode();
        WriteBatch decoded = WriteBatch.decode(encoded);
        assertThat(decoded.spans()).isTrue();
        assertThat(decoded.calls()).isTrue();
        assertThat(decoded.rows().size()).isEqualTo(prepared.rows().size());
        for (int i = 0; i < prepared.rows().size(); i++) {
            Object before = prepared.rows().getValue(i);
            Object after = decoded.rows().getValue(i);
            assertThat(after).as("parameter $%d", i + 1).isInstanceOf(before.getClass());
            if (before instanceof Object[] array) {
                assertThat((Object[]) after).as("parameter $%d", i + 1).containsExactly(array);
            } else {
                assertThat(after).as("parameter $%d", i + 1).isEqualTo(before);
            }
        }
        assertThat(WriteBatch.decode(WriteBatch.EMPTY.encode()).isEmpty()).isTrue();
        for (int cut : new int[] {1, 5, encoded.length / 2, encoded.length - 1}) {
            assertThatThrownBy(() -> WriteBatch.decode(java.util.Arrays.copyOf(encoded, cut)))
                    .as("cut at %d", cut).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aBacklogIsWrittenInMergedStatementsAndABatchRefusedInOneIsSetAsideAlone() throws Exception {
        String tenant = "wal-" + UUID.randomUUID();
        List<WriteBatch> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(traceBatch(tenant));
        }
        String[] attributes = (String[]) batches.get(4).rows().getValue(SPAN_ATTRIBUTES);
        assertThat(attributes[0]).startsWith("{");
        attributes[0] = "{not json"; // jsonb refuses it: SQLSTATE 22P02, a permanent failure
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long bad = 0;
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            for (int i = 0; i < batches.size(); i++) {
                long end = log.append(batches.get(i).encode()).get(10, TimeUnit.SECONDS);
                bad = i == 3 ? end : bad;
            }
            try (LogApplier applier = new LogApplier(log, repository::write, 1, 8, dir.resolve("rejected"), registry)) {
                awaitWatermark(applier, log.end());
            }
        }
        assertThat(counts(tenant)).isEqualTo("20|10|10");
        assertThat(registry.get("observatory.enrich.wal.write.batches").summary().max()).isEqualTo(6);
        assertThat(registry.get("observatory.enrich.wal.rejected.batches").counter().count()).isEqualTo(1);
        assertThat(WriteBatch.decode(Files.readAllBytes(dir.resolve("rejected").resolve(bad + ".batch")))
                .rows().getValue(SPAN_ATTRIBUTES)).isEqualTo(attributes);
    }

    @Test
    void aBatchThatKeepsFailingIsRetriedAloneAndHoldsUpNoOtherBatchOfItsMergedWrite() throws Exception {
        String tenant = "wal-" + UUID.randomUUID();
        List<WriteBatch> batches = List.of(traceBatch(tenant), traceBatch(tenant), traceBatch(tenant));
        Object stuck = ((Object[]) batches.get(1).rows().getValue(1))[0]; // a trace id of the middle batch
        Function<WriteBatch, Uni<Void>> failsWithIt = b -> java.util.Arrays.asList((Object[]) b.rows().getValue(1))
                .contains(stuck) ? Uni.createFrom().failure(new StorageException("database unavailable: lock timeout",
                true, null)) : repository.write(b);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            long first = log.append(batches.get(0).encode()).get(10, TimeUnit.SECONDS);
            for (WriteBatch b : batches.subList(1, 3)) {
                log.append(b.encode()).get(10, TimeUnit.SECONDS);
            }
            try (LogApplier applier = new LogApplier(log, failsWithIt, 1, 8, dir.resolve("rejected"), registry)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!counts(tenant).equals("8|4|4") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(counts(tenant)).as("the two other batches, written alone").isEqualTo("8|4|4");
                assertThat(applier.watermark()).as("held below the failing batch, which stays in the log")
                        .isEqualTo(first);
            }
        }
        assertThat(registry.get("observatory.enrich.wal.write.batches").summary().max()).isEqualTo(3);
    }

    /**
     * Equivalence of the merged write with the exact path: the same batches written one by one (tenant A) and merged
     * into one statement (tenant B) store the same rows, keys and queue entries — a retried batch, a trace whose calls
     * come before its spans (tail sampling), and a trace that grows in a later batch among them.
     */
    @Test
    void batchesMergedIntoOneWriteStoreExactlyWhatWritingThemOneByOneStores() {
        String one = "wal-seq-" + UUID.randomUUID();
        String merged = "wal-merged-" + UUID.randomUUID();
        Rows first = trace(one);
        Rows callsFirst = trace(one);
        Rows grown = new Rows(new ArrayList<>(first.spans()), first.calls());
        grown.spans().addAll(OtlpMapper.toSpans(batch(span(first.spans().get(0).traceId(), hex(8), "", "late", 1, 1))));
        List<Function<String, WriteBatch>> batches = List.of(
                t -> TraceRepository.prepare(t, first.spans(), first.calls()),
                t -> TraceRepository.prepare(t, first.spans(), first.calls()),
                t -> TraceRepository.prepare(t, List.of(), callsFirst.calls()),
                t -> TraceRepository.prepare(t, callsFirst.spans(), List.of()),
                t -> TraceRepository.prepare(t, grown.spans(), grown.calls()));
        for (Function<String, WriteBatch> b : batches) {
            repository.write(b.apply(one)).await().atMost(java.time.Duration.ofSeconds(30));
        }
        repository.write(WriteBatch.merge(batches.stream().map(b -> b.apply(merged)).toList()))
                .await().atMost(java.time.Duration.ofSeconds(30));

        assertThat(stored(merged)).isEqualTo(stored(one)).contains("|9|4|4|");
    }

    /** What a tenant's rows are, without the tenant: spans, calls, keys and queued calls, in id order. */
    private String stored(String tenant) {
        return pg.psql("SELECT (SELECT string_agg(encode(span_id, 'hex') || ':' || name || ':' || attributes::text, ','"
                + " ORDER BY span_id) FROM spans WHERE tenant = '" + tenant + "') || '|'"
                + " || (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "') || '|'"
                + " || (SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "') || '|'"
                + " || (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + tenant + "') || '|'"
                + " || (SELECT string_agg(encode(span_id, 'hex') || ':' || cost_usd || ':' || model, ',' ORDER BY span_id)"
                + " FROM llm_calls WHERE tenant = '" + tenant + "') || '|'"
                + " || (SELECT string_agg(encode(trace_id, 'hex') || ':' || array_length(spans, 1) || ':'"
                + " || array_length(calls, 1) || ':' || overflow, ',' ORDER BY trace_id) FROM trace_keys"
                + " WHERE tenant = '" + tenant + "')");
    }

    private record Rows(List<SpanRecord> spans, List<PricedCall> calls) {
    }

    /** A 4-span trace (a server span, a retrieval span, two LLM calls), the calls priced for {@code tenant}. */
    private Rows trace(String tenant) {
        String trace = hex(16);
        List<SpanRecord> spans = OtlpMapper.toSpans(batch(
                span(trace, hex(8), "", "POST /chat", 2, 1),
                span(trace, hex(8), "", "retrieve", 1, 1),
                llmSpan(trace, hex(8)), llmSpan(trace, hex(8), "gpt-4o-mini")));
        List<PricedCall> calls = new ArrayList<>();
        for (SpanRecord s : spans) {
            Optional<LlmCall> call = extractor.extract(s);
            call.ifPresent(c -> calls.add(new PricedCall(c, costs.price(tenant, c))));
        }
        assertThat(calls).hasSize(2);
        return new Rows(spans, calls);
    }

    /** Such a trace as the pipeline prepares it. */
    private WriteBatch traceBatch(String tenant) {
        Rows rows = trace(tenant);
        return TraceRepository.prepare(tenant, rows.spans(), rows.calls());
    }

    private String counts(String tenant) {
        return pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'),"
                + " (SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'),"
                + " (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + tenant + "')");
    }

    private static void awaitWatermark(LogApplier applier, long end) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (applier.watermark() < end && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(applier.watermark()).as("applied up to the log's end").isEqualTo(end);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
