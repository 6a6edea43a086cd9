package io.llmobservatory.enrich.sampling;

import io.llmobservatory.enrich.pipeline.TracesConsumer;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.id;
import static io.llmobservatory.enrich.OtlpFixtures.num;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Priority sampling at 1 % over 10 000 traces through the real pipeline and PostgreSQL: cost totals are exact
 * (every call's facts are stored), about 1 % of ordinary traces are kept, and every error and slow trace is whole.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@TestProfile(SamplingTotalsTest.PrioritySampling.class)
class SamplingTotalsTest {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public static class PrioritySampling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("observatory.enrich.sampling.mode", "priority",
                    "observatory.enrich.sampling.priority.base-rate", "0.01",
                    "observatory.enrich.sampling.priority.slow-threshold-ms", "5000",
                    "observatory.enrich.sampling.priority.cost-threshold-usd", "1000");
        }
    }

    @Inject
    TracesConsumer pipeline;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void totalsAreExactWhateverTheSamplingRate() {
        String tenant = "sampling-" + System.nanoTime();
        Random random = new Random(2026);
        BigDecimal expectedCost = BigDecimal.ZERO;
        long expectedInput = 0;
        Set<String> errorOrSlow = new HashSet<>();
        int ordinary = 0;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String trace = SamplersTest.hex(random, 32);
            boolean error = random.nextInt(100) < 3;
            boolean slow = !error && random.nextInt(100) < 3;
            long input = 100 + random.nextInt(5000);
            long output = 10 + random.nextInt(1000);
            // gpt-4o: $2.50 input, $10 output per million tokens
            expectedCost = expectedCost.add(BigDecimal.valueOf(input * 25 + output * 100).divide(BigDecimal.TEN)
                    .divide(MILLION));
            expectedInput += input;
            if (error || slow) {
                errorOrSlow.add(trace);
            } else {
                ordinary++;
            }
            long start = 1_795_773_600_000_000_000L + i * 1_000_000L;
            long end = start + (slow ? 6_000 : 900) * 1_000_000L;
            String root = SamplersTest.hex(random, 16);
            spans.add(span(trace, root, "", "POST /chat", start, end, 0));
            spans.add(span(trace, SamplersTest.hex(random, 16), root, "retrieve", start + 1, start + 2, 0));
            spans.add(span(trace, SamplersTest.hex(random, 16), root, "chat gpt-4o", start + 3, end - 1, error ? 2 : 0)
                    .toBuilder().addAttributes(str("gen_ai.provider.name", "openai"))
                    .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                    .addAttributes(num("gen_ai.usage.input_tokens", input))
                    .addAttributes(num("gen_ai.usage.output_tokens", output)).build());
            if (spans.size() >= 1500) {
                consume(tenant, batch(spans.toArray(Span[]::new)));
                spans.clear();
            }
        }
        consume(tenant, batch(spans.toArray(Span[]::new)));

        assertThat(pg.psql("SELECT count(*), sum(input_tokens), sum(cost_usd) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo("10000|" + expectedInput + "|" + expectedCost.setScale(12));
        int keptOrdinary = Integer.parseInt(pg.psql("SELECT count(DISTINCT trace_id) FROM spans WHERE tenant = '" + tenant
                + "' AND trace_id NOT IN (" + idList(errorOrSlow) + ")"));
        double mean = ordinary * 0.01;
        double sd = Math.sqrt(ordinary * 0.01 * 0.99);
        assertThat((double) keptOrdinary).isBetween(mean - 5 * sd, mean + 5 * sd);
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "' AND trace_id IN ("
                + idList(errorOrSlow) + ")")).isEqualTo(String.valueOf(errorOrSlow.size() * 3));
    }

    private void consume(String tenant, ExportTraceServiceRequest request) {
        pipeline.consume(tenant, request).await().atMost(Duration.ofSeconds(60));
    }

    private static String idList(Set<String> traces) {
        return String.join(",", traces.stream().map(t -> "decode('" + t + "','hex')").toList());
    }

    private static Span span(String trace, String spanId, String parent, String name, long start, long end, int status) {
        Span.Builder b = Span.newBuilder().setTraceId(id(trace)).setSpanId(id(spanId)).setName(name).setKindValue(1)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end).setStatus(Status.newBuilder().setCodeValue(status));
        if (!parent.isEmpty()) {
            b.setParentSpanId(id(parent));
        }
        return b.build();
    }
}
