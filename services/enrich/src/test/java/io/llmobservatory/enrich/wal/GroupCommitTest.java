package io.llmobservatory.enrich.wal;

import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.storage.PricedCall;
import io.llmobservatory.enrich.storage.StorageException;
import io.llmobservatory.enrich.storage.TraceRepository;
import io.llmobservatory.enrich.storage.WriteBatch;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit without a write-ahead log (the test profile's default: 2 writers, up to 8 batches a statement) on a
 * real PostgreSQL: batches that wait for a writer are merged, each answered when its statement commits, and a batch
 * PostgreSQL refuses inside a merged statement fails alone.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class GroupCommitTest {
    /** The spans' attributes (JSON text) in a prepared batch: after the tenant, 5 key arrays and 12 span arrays. */
    private static final int SPAN_ATTRIBUTES = 18;

    @Inject
    TraceWriter writer;

    @Inject
    LlmCallExtractor extractor;

    @Inject
    CostCalculator costs;

    @Inject
    MeterRegistry registry;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void batchesWaitingForAWriterAreMergedAndEachIsAnsweredOnceItsStatementCommits() throws Exception {
        String tenant = "group-" + UUID.randomUUID();
        List<WriteBatch> batches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batches.add(trace(tenant));
        }
        batches.add(batches.get(3)); // a retry, in flight with the first attempt
        double merged = mergedStatements();

        List<CompletableFuture<Void>> answers = batches.stream()
                .map(b -> writer.store(b).subscribeAsCompletionStage()).toList();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'), (SELECT count(*)"
                + " FROM llm_calls WHERE tenant = '" + tenant + "'), (SELECT count(*) FROM llm_call_rollup_queue"
                + " WHERE tenant = '" + tenant + "')")).isEqualTo("48|24|24");
        assertThat(mergedStatements()).as("statements that wrote more than one batch").isGreaterThan(merged);
    }

    @Test
    void aBatchPostgresRefusesInAMergedStatementFailsAloneAndTheOthersAreStored() throws Exception {
        String tenant = "group-" + UUID.randomUUID();
        List<WriteBatch> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batches.add(trace(tenant));
        }
        String[] attributes = (String[]) batches.get(4).rows().getValue(SPAN_ATTRIBUTES);
        assertThat(attributes[0]).startsWith("{");
        attributes[0] = "{not json"; // jsonb refuses it: SQLSTATE 22P02, a permanent failure

        // Two start at once; the four others wait and are merged, the bad one among them.
        List<CompletableFuture<Void>> answers = batches.stream()
                .map(b -> writer.store(b).subscribeAsCompletionStage()).toList();
        for (int i = 0; i < answers.size(); i++) {
            CompletableFuture<Void> answer = answers.get(i);
            try {
                answer.get(30, TimeUnit.SECONDS);
                assertThat(i).as("batch %d answered OK", i).isNotEqualTo(4);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(i).as("batch %d failed: %s", i, e.getCause()).isEqualTo(4);
                assertThat(e.getCause()).isInstanceOf(StorageException.class);
                assertThat(((StorageException) e.getCause()).retryable()).isFalse();
                assertThat(e.getCause()).hasMessageContaining("invalid input syntax for type json");
            }
        }
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("20");
    }

    private double mergedStatements() {
        DistributionSummary s = registry.get("observatory.enrich.db.write.batches").summary();
        // Every statement records its batch count: those above one are the merged ones.
        return s.totalAmount() - s.count();
    }

    /** A 4-span trace with two priced LLM calls, prepared for writing. */
    private WriteBatch trace(String tenant) {
        String trace = hex(16);
        List<SpanRecord> spans = OtlpMapper.toSpans(batch(span(trace, hex(8), "", "POST /chat", 2, 1),
                span(trace, hex(8), "", "retrieve", 1, 1), llmSpan(trace, hex(8)), llmSpan(trace, hex(8))));
        List<PricedCall> calls = new ArrayList<>();
        for (SpanRecord s : spans) {
            extractor.extract(s).ifPresent(c -> calls.add(new PricedCall(c, costs.price(tenant, c))));
        }
        return TraceRepository.prepare(tenant, spans, calls);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
