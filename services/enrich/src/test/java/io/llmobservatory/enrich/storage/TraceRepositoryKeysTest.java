package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One idempotency key per trace records which of its spans' rows are stored (V19). With tail sampling a call's fact is
 * stored at once and its span later, when the trace is kept: the span must still be stored, once, and a retry of
 * either stores nothing twice. A trace's spans arriving in several batches, retried in other groupings or at the same
 * time, are each stored once.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TraceRepositoryKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long START = 1_700_000_000_000_000_000L;

    @Inject
    TraceRepository repository;
    @Inject
    LlmCallExtractor extractor;
    @Inject
    CostCalculator costs;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void aSpanStoredAfterItsCallIsStoredOnceAndRetriesStoreNothingTwice() {
        String tenant = tenant();
        SpanRecord span = chatSpan("5b8efff798038103d269b633813fc6e0", "eee19b7ec3c1b1e0", START);
        PricedCall priced = priced(tenant, span);

        repository.store(tenant, List.of(), List.of(priced)).await().atMost(WAIT); // the fact, at once
        repository.store(tenant, List.of(span), List.of()).await().atMost(WAIT); // the span, once the trace is kept
        repository.store(tenant, List.of(span), List.of(priced)).await().atMost(WAIT); // a retry of both

        assertThat(pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "')")).as("spans|calls").isEqualTo("1|1");
    }

    @Test
    void aBatchBringingASpanWithTheCallAlreadyStoredStoresTheSpanOnly() {
        String tenant = tenant();
        SpanRecord span = chatSpan("7b8efff798038103d269b633813fc6e2", "aee19b7ec3c1b1e3", START);
        PricedCall priced = priced(tenant, span);

        repository.store(tenant, List.of(), List.of(priced)).await().atMost(WAIT); // the fact, at once
        repository.store(tenant, List.of(span), List.of(priced)).await().atMost(WAIT); // span and call: the span is new
        repository.store(tenant, List.of(), List.of(priced)).await().atMost(WAIT); // a late retry of the fact

        assertThat(pg.psql("SELECT (SELECT count(*) FROM spans WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + tenant + "') || '|' || "
                + "(SELECT string_agg(cardinality(spans) || '/' || cardinality(calls), ',') FROM trace_keys WHERE tenant = '"
                + tenant + "')")).as("spans|calls|queued calls|key's spans/calls").isEqualTo("1|1|1|1/1");
    }

    /**
     * A span re-stamped after its call was stored (an SDK that sets the time again) lands in a later chunk than its
     * call: its key takes the later time, so maintenance, which deletes a key only once no chunk can hold a row of its
     * time, keeps it while the span row is there.
     */
    @Test
    void aKeyTakesTheLatestTimeOfItsRows() {
        String tenant = tenant();
        String traceId = "8b8efff798038103d269b633813fc6e3", spanId = "bee19b7ec3c1b1e4";
        long hour = 3_600_000_000_000L;

        repository.store(tenant, List.of(), List.of(priced(tenant, chatSpan(traceId, spanId, START))))
                .await().atMost(WAIT);
        repository.store(tenant, List.of(chatSpan(traceId, spanId, START + hour)), List.of()).await().atMost(WAIT);

        assertThat(pg.psql("SELECT (SELECT k.time = s.start_time AND s.start_time = c.time + interval '1 hour' "
                + "FROM trace_keys k, spans s, llm_calls c WHERE k.tenant = '" + tenant + "' AND s.tenant = k.tenant "
                + "AND c.tenant = k.tenant)")).as("the key's time is the span's, an hour after the call's").isEqualTo("t");
    }

    @Test
    void aTraceArrivingInSeveralBatchesIsStoredOnceWhateverTheRetriesRegroup() {
        String tenant = tenant();
        String traceId = "9b8efff798038103d269b633813fc6e4";
        List<SpanRecord> spans = List.of(chatSpan(traceId, "c000000000000001", START),
                chatSpan(traceId, "c000000000000002", START + 1), chatSpan(traceId, "c000000000000003", START + 2));
        List<PricedCall> calls = spans.stream().map(s -> priced(tenant, s)).toList();

        repository.store(tenant, spans.subList(0, 2), calls.subList(0, 2)).await().atMost(WAIT); // the first two
        repository.store(tenant, spans.subList(2, 3), calls.subList(2, 3)).await().atMost(WAIT); // the third, later
        repository.store(tenant, spans.subList(1, 3), calls.subList(1, 3)).await().atMost(WAIT); // a regrouped retry
        repository.store(tenant, spans, calls).await().atMost(WAIT); // all of it again

        assertThat(counts(tenant)).as("spans|calls|queued calls").isEqualTo("3/3|3/3|3");
        assertThat(pg.psql("SELECT count(*) || ':' || max(cardinality(spans)) || '/' || max(cardinality(calls)) FROM "
                + "trace_keys WHERE tenant = '" + tenant + "'")).as("keys:spans/calls of the key").isEqualTo("1:3/3");
    }

    /**
     * Batches holding overlapping spans of two traces, stored at once, half of them listing the traces' spans in the
     * opposite order: each trace key's row lock serializes them, and the keys are claimed in trace id order (a
     * deadlock would fail a store).
     */
    @Test
    void concurrentBatchesSharingTracesStoreEachSpanOnce() {
        String tenant = tenant();
        List<SpanRecord> spans = new ArrayList<>();
        for (String traceId : List.of("ab8efff798038103d269b633813fc6e5", "1b8efff798038103d269b633813fc6e6")) {
            for (int i = 0; i < 12; i++) {
                spans.add(chatSpan(traceId, String.format("%s%015x", traceId.charAt(0), i + 1), START + i));
            }
        }
        List<Uni<Void>> stores = new ArrayList<>();
        for (int from = 0; from < 12; from += 2) { // six batches of four spans of each trace, overlapping the next by two
            List<SpanRecord> batch = new ArrayList<>(spans.subList(from, Math.min(12, from + 4)));
            batch.addAll(spans.subList(12 + from, Math.min(24, 12 + from + 4)));
            if (from % 4 == 0) {
                Collections.reverse(batch);
            }
            stores.add(repository.store(tenant, batch, batch.stream().map(s -> priced(tenant, s)).toList()));
        }
        Uni.join().all(stores).andFailFast().await().atMost(WAIT);

        assertThat(counts(tenant)).as("spans|calls|queued calls").isEqualTo("24/24|24/24|24");
    }

    /**
     * A trace growing batch after batch stops rewriting its key's lists at {@link TraceRepository#KEY_LIST_LIMIT} ids:
     * the ids after that have a key row each, and retries mixing listed and overflow ids still store nothing twice.
     */
    @Test
    void aTraceBeyondTheKeyListLimitKeysItsLaterSpansOneByOne() {
        String tenant = tenant();
        String traceId = "cb8efff798038103d269b633813fc6e7";
        int limit = TraceRepository.KEY_LIST_LIMIT;
        List<SpanRecord> spans = new ArrayList<>();
        for (int i = 0; i < limit + 44; i++) {
            spans.add(chatSpan(traceId, String.format("e%015x", i + 1), START + i));
        }
        List<PricedCall> calls = spans.stream().map(s -> priced(tenant, s)).toList();
        for (int from = 0; from < spans.size(); from += 100) { // batches of 100: the third overflows the lists
            int to = Math.min(spans.size(), from + 100);
            repository.store(tenant, spans.subList(from, to), calls.subList(from, to)).await().atMost(WAIT);
        }
        repository.store(tenant, spans.subList(150, 250), calls.subList(150, 250)).await().atMost(WAIT); // both kinds
        repository.store(tenant, spans, List.of()).await().atMost(WAIT); // every span again, no calls

        int n = spans.size();
        assertThat(counts(tenant)).as("spans|calls|queued calls").isEqualTo(n + "/" + n + "|" + n + "/" + n + "|" + n);
        assertThat(pg.psql("SELECT overflow || '|' || cardinality(spans) || '/' || cardinality(calls) || '|' || "
                + "(SELECT count(*) FILTER (WHERE span_stored AND call_stored) FROM span_key_overflow WHERE tenant = '"
                + tenant + "') FROM trace_keys WHERE tenant = '" + tenant + "'"))
                .as("overflow|listed spans/calls|span ids keyed one by one").isEqualTo("true|200/200|" + (n - 200));
    }

    /** The tenant's distinct and stored spans, distinct and stored calls, and queued calls: "d/n|d/n|q". */
    private String counts(String tenant) {
        return pg.psql("SELECT (SELECT count(DISTINCT span_id) || '/' || count(*) FROM spans WHERE tenant = '" + tenant
                + "') || '|' || (SELECT count(DISTINCT span_id) || '/' || count(*) FROM llm_calls WHERE tenant = '"
                + tenant + "') || '|' || (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + tenant + "')");
    }

    private static String tenant() {
        return "k-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An OpenAI chat call to gpt-4o with its usage, as the SDK's span. */
    private static SpanRecord chatSpan(String traceId, String spanId, long startNs) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("gen_ai.provider.name", "openai");
        attributes.put("gen_ai.operation.name", "chat");
        attributes.put("gen_ai.request.model", "gpt-4o");
        attributes.put("gen_ai.usage.input_tokens", 1000L);
        attributes.put("gen_ai.usage.output_tokens", 500L);
        return new SpanRecord(traceId, spanId, "", "", 0, "chat gpt-4o", 3, startNs, startNs + 1_000_000_000L, 1, "",
                "svc", Attributes.of(attributes), 0, List.of(), 0, List.of(), 0, Attributes.empty(),
                InstrumentationScope.EMPTY);
    }

    /** The span's LLM call as enrich prices it. */
    private PricedCall priced(String tenant, SpanRecord span) {
        LlmCall call = extractor.extract(span).orElseThrow();
        return new PricedCall(call, costs.price(tenant, call));
    }
}
