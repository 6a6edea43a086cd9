package io.llmobservatory.enrich.pipeline;

import com.google.protobuf.ByteString;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.batch;
import static io.llmobservatory.enrich.OtlpFixtures.llmSpan;
import static io.llmobservatory.enrich.OtlpFixtures.num;
import static io.llmobservatory.enrich.OtlpFixtures.span;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: a batch of structurally valid spans with any attribute values is stored — every span either lands in
 * PostgreSQL or is refused alone (partial success); the database never refuses the batch. Random GenAI values
 * (extreme, negative, fractional, textual numbers, any dialect) through the whole write path on a real database,
 * from a seeded generator (a failing seed reproduces).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TraceWritePropertyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> NUMERIC_KEYS = List.of("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
            "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_write.input_tokens",
            "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens",
            "gen_ai.usage.cost", "llm.token_count.prompt", "llm.token_count.completion", "llm.token_count.total",
            "llm.cost.total", "llm.usage.total_tokens", "ai.usage.promptTokens", "ai.usage.completionTokens",
            "ai.usage.totalTokens", "gen_ai.response.time_to_first_chunk", "ai.response.msToFirstChunk");
    private static final List<String> MODELS = List.of("gpt-4o", "claude-3-5-sonnet", "unknown-model", "o1", "");

    @Inject
    TracesConsumer pipeline;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    /** The case: one span the store cannot hold beside a valid one; the valid one is stored. */
    @Test
    void aValueTheStoreCannotHoldRefusesItsSpanAloneNotTheBatch() {
        String tenant = "prop-" + UUID.randomUUID().toString().substring(0, 8);
        String trace = "5b8efff798038103d269b633813fc60c";
        ExportTraceServiceRequest request = batch(llmSpan(trace, "eee19b7ec3c1b174"),
                llmSpan(trace, "eee19b7ec3c1b175").toBuilder().setAttributes(2, num("gen_ai.usage.input_tokens",
                        Long.MAX_VALUE)).build());
        TracesConsumer.BatchResult result = pipeline.consume(tenant, request).await().atMost(WAIT);
        assertThat(result.spans()).isEqualTo(1);
        assertThat(result.rejectedSpans()).isEqualTo(1);
        assertThat(result.firstRejection()).contains("eee19b7ec3c1b175", "input tokens", "9223372036854775807");
        assertThat(pg.psql("SELECT encode(span_id, 'hex') FROM spans WHERE tenant = '" + tenant + "'"))
                .isEqualTo("eee19b7ec3c1b174");
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void anyBatchThatPassesValidationIsStored(long seed) {
        Random random = new Random(seed);
        String tenant = "prop-" + seed + "-" + UUID.randomUUID().toString().substring(0, 8);
        String trace = HexFormat.of().formatHex(longBytes(random.nextLong() | 1, random.nextLong()));
        List<Span> spans = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int n = 5 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            String id = HexFormat.of().formatHex(longBytes(random.nextLong() | 1));
            ids.add(id);
            Span.Builder s = span(trace, id, "", "chat " + i, 3, random.nextInt(3)).toBuilder();
            s.addAttributes(str("gen_ai.provider.name", random.nextBoolean() ? "openai" : "anthropic"));
            s.addAttributes(str("gen_ai.request.model", MODELS.get(random.nextInt(MODELS.size()))));
            int attributes = random.nextInt(6);
            for (int a = 0; a < attributes; a++) {
                s.addAttributes(KeyValue.newBuilder().setKey(NUMERIC_KEYS.get(random.nextInt(NUMERIC_KEYS.size())))
                        .setValue(value(random)));
            }
            s.addAttributes(KeyValue.newBuilder().setKey("app.any").setValue(value(random)));
            spans.add(s.build());
        }
        TracesConsumer.BatchResult result = pipeline.consume(tenant, batch(spans.toArray(Span[]::new)))
                .await().atMost(WAIT);

        assertThat(result.spans() + result.rejectedSpans()).isEqualTo(n);
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.valueOf(result.spans()));
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.valueOf(result.llmCalls()));
    }

    /** Any value a client could send for a number: extremes, negatives, fractions, text, the wrong type. */
    private static AnyValue value(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> AnyValue.newBuilder().setIntValue(Long.MAX_VALUE).build();
            case 1 -> AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build();
            case 2 -> AnyValue.newBuilder().setIntValue(r.nextLong()).build();
            case 3 -> AnyValue.newBuilder().setIntValue(r.nextInt(100_000)).build();
            case 4 -> AnyValue.newBuilder().setDoubleValue(r.nextDouble() * Math.pow(10, r.nextInt(320))).build();
            case 5 -> AnyValue.newBuilder().setDoubleValue(List.of(Double.NaN, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE).get(r.nextInt(6))).build();
            case 6 -> AnyValue.newBuilder().setStringValue(List.of("9223372036854775808", "1e400", "-1", "NaN",
                    "12.5", " 7 ", "", "0x10", "99999999999999999999999").get(r.nextInt(9))).build();
            case 7 -> AnyValue.newBuilder().setBoolValue(r.nextBoolean()).build();
            case 8 -> AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(
                    AnyValue.newBuilder().setIntValue(r.nextLong()))).build();
            case 9 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(longBytes(r.nextLong()))).build();
            case 10 -> AnyValue.newBuilder().setStringValue("text \0 with NUL and \uD83D\uDE00").build();
            default -> AnyValue.newBuilder().setDoubleValue(-r.nextDouble() * 1e12).build();
        };
    }

    private static byte[] longBytes(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
