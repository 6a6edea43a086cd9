package io.llmobservatory.enrich.sampling;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Priority and tail sampling over synthetic traces of three spans (root, retrieval, LLM call). */
class SamplersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void priorityKeepsAboutTheBaseRateAndEveryErrorSlowAndExpensiveTraceWhole() {
        PrioritySampler sampler = new PrioritySampler(0.01, 1.0, 5000, new BigDecimal("0.10"), registry);
        Random random = new Random(42);
        int normal = 0;
        int normalKept = 0;
        Set<String> mustKeep = new HashSet<>();
        List<SpanRecord> batch = new ArrayList<>();
        Map<String, BigDecimal> costs = new HashMap<>();
        List<SpanRecord> kept = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String trace = hex(random, 32);
            int kind = random.nextInt(100); // 3 % errors, 3 % slow, 2 % expensive
            boolean error = kind < 3;
            boolean slow = kind >= 3 && kind < 6;
            boolean expensive = kind >= 6 && kind < 8;
            List<SpanRecord> spans = trace(random, trace, error, slow ? 6_000 : 800);
            costs.put(spans.get(2).spanId(), expensive ? new BigDecimal("0.25") : new BigDecimal("0.002"));
            if (error || slow || expensive) {
                mustKeep.add(trace);
            } else {
                normal++;
            }
            batch.addAll(spans);
            if (batch.size() >= 1500) {
                kept.addAll(sampler.sample("t", batch, costs));
                batch.clear();
            }
        }
        kept.addAll(sampler.sample("t", batch, costs));

        Map<String, Integer> spansPerTrace = new HashMap<>();
        kept.forEach(s -> spansPerTrace.merge(s.traceId(), 1, Integer::sum));
        assertThat(spansPerTrace.keySet()).containsAll(mustKeep);
        assertThat(spansPerTrace.values()).allMatch(n -> n == 3); // kept traces are whole
        for (String t : spansPerTrace.keySet()) {
            if (!mustKeep.contains(t)) {
                normalKept++;
            }
        }
        // Binomial(n ~ 9200, p = 0.01): mean ~92, sd ~9.5; five standard deviations either side.
        double expected = normal * 0.01;
        double sd = Math.sqrt(normal * 0.01 * 0.99);
        assertThat((double) normalKept).isBetween(expected - 5 * sd, expected + 5 * sd);
    }

    @Test
    void priorityDecisionsAreConsistentPerTraceAcrossBatches() {
        PrioritySampler sampler = new PrioritySampler(0.5, 1.0, 5000, new BigDecimal("1"), registry);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            List<SpanRecord> spans = trace(random, hex(random, 32), false, 100);
            boolean first = !sampler.sample("t", List.of(spans.get(0)), Map.of()).isEmpty();
            boolean second = !sampler.sample("t", spans.subList(1, 3), Map.of()).isEmpty();
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void tailDecidesOnceOnTheWholeTraceAfterTheWaitAndLateSpansFollow() {
        List<List<SpanRecord>> stored = new CopyOnWriteArrayList<>();
        TailSampler tail = new TailSampler(PolicyFactory.parse("""
                [{"name": "errors", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}}]"""),
                Duration.ofSeconds(10), 1000, 1000, (tenant, spans) -> {
            stored.add(spans);
            return Uni.createFrom().voidItem();
        }, registry, false);
        Random random = new Random(1);
        List<SpanRecord> failing = trace(random, hex(random, 32), true, 100);
        List<SpanRecord> fine = trace(random, hex(random, 32), false, 100);

        // The error span arrives in a later batch than its siblings: the trace is still kept whole.
        assertThat(tail.sample("t", List.of(failing.get(0), fine.get(0)), Map.of())).isEmpty();
        assertThat(tail.sample("t", List.of(failing.get(1), failing.get(2), fine.get(1)), Map.of())).isEmpty();
        tail.tick(System.nanoTime());
        assertThat(stored).isEmpty(); // still within the decision wait
        tail.tick(System.nanoTime() + Duration.ofSeconds(11).toNanos());
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).containsExactlyInAnyOrderElementsOf(failing);
        assertThat(tail.buffered()).isZero();

        // Late spans follow the remembered decision.
        SpanRecord lateKept = trace(random, failing.get(0).traceId(), false, 100).get(0);
        SpanRecord lateDropped = trace(random, fine.get(0).traceId(), false, 100).get(0);
        assertThat(tail.sample("t", List.of(lateKept, lateDropped), Map.of())).containsExactly(lateKept);
    }

    @Test
    void aFullTailBufferDecidesTheOldestEarlyAndCountsIt() {
        List<SpanRecord> stored = new CopyOnWriteArrayList<>();
        TailSampler tail = new TailSampler(PolicyFactory.parse("[{\"name\": \"all\", \"type\": \"always_sample\"}]"),
                Duration.ofMinutes(5), 10, 1000, (tenant, spans) -> {
            stored.addAll(spans);
            return Uni.createFrom().voidItem();
        }, registry, false);
        Random random = new Random(3);
        for (int i = 0; i < 25; i++) {
            tail.sample("t", trace(random, hex(random, 32), false, 100), Map.of());
        }
        assertThat(tail.buffered()).isEqualTo(10);
        assertThat(stored).hasSize(15 * 3); // nothing silently dropped: the 15 oldest were decided early
        assertThat(registry.get("observatory.enrich.sampling.early.decisions").counter().count()).isEqualTo(15);
        tail.close();
        assertThat(stored).hasSize(25 * 3); // shutdown decides and stores what was held
    }

    @Test
    void tailRetriesAFailedWriteOnTheNextTick() {
        List<SpanRecord> stored = new CopyOnWriteArrayList<>();
        boolean[] down = {true};
        TailSampler tail = new TailSampler(PolicyFactory.parse("[{\"name\": \"all\", \"type\": \"always_sample\"}]"),
                Duration.ofMillis(1), 10, 1000, (tenant, spans) -> {
            if (down[0]) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }
            stored.addAll(spans);
            return Uni.createFrom().voidItem();
        }, registry, false);
        Random random = new Random(5);
        tail.sample("t", trace(random, hex(random, 32), false, 100), Map.of());
        tail.tick(System.nanoTime() + 10_000_000L);
        assertThat(stored).isEmpty();
        down[0] = false;
        tail.tick(System.nanoTime() + 20_000_000L);
        assertThat(stored).hasSize(3);
    }

    static List<SpanRecord> trace(Random random, String traceId, boolean error, long durationMs) {
        long start = 1_795_773_600_000_000_000L + random.nextInt(1_000_000) * 1_000_000L;
        long end = start + durationMs * 1_000_000L;
        String root = hex(random, 16);
        return List.of(
                span(traceId, root, "", "POST /chat", start, end, 0),
                span(traceId, hex(random, 16), root, "retrieve", start + 1, start + 2, 0),
                span(traceId, hex(random, 16), root, "chat gpt-4o", start + 3, end - 1, error ? 2 : 0));
    }

    static SpanRecord span(String trace, String id, String parent, String name, long start, long end, int status) {
        return new SpanRecord(trace, id, parent, "", 0, name, 1, start, end, status, "", "svc", Attributes.empty(), 0,
                List.of(), 0, List.of(), 0, Attributes.empty(), InstrumentationScope.EMPTY);
    }

    static String hex(Random random, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
