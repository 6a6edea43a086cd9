package io.llmobservatory.enrich.pipeline;

import com.google.protobuf.ByteString;
import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HexFormat;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline against a real PostgreSQL: what lands in spans and llm_calls, and that retries store nothing twice. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TracePipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TracesConsumer pipeline;

    @Inject
    io.llmobservatory.enrich.storage.RollupDrainer drainer;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void storesEverySpanAndOneFactRowPerLlmCallWithItsCost() {
        String tenant = tenant();
        String trace = "5b8efff798038103d269b633813fc60c";
        ExportTraceServiceRequest batch = batch(
                span(trace, "eee19b7ec3c1b174", "", "POST /chat", 2, 1),
                span(trace, "eee19b7ec3c1b175", "eee19b7ec3c1b174", "chat gpt-4o", 3, 2).toBuilder()
                        .addAttributes(str("gen_ai.provider.name", "openai"))
                        .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                        .addAttributes(num("gen_ai.usage.input_tokens", 1000))
                        .addAttributes(num("gen_ai.usage.output_tokens", 500))
                        .addAttributes(str("user.id", "alice"))
                        .addAttributes(str("session.id", "s-1"))
                        .addAttributes(str("error.type", "429"))
                        .addAttributes(KeyValue.newBuilder().setKey("gen_ai.response.finish_reasons").setValue(AnyValue
                                .newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(sv("stop")).addValues(sv("length")))))
                        .build());

        TracesConsumer.BatchResult result = pipeline.consume(tenant, batch).await().atMost(WAIT);

        assertThat(result).isEqualTo(new TracesConsumer.BatchResult(2, 1, 0));
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("2");
        assertThat(pg.psql("SELECT provider, model, input_tokens, output_tokens, total_tokens, cost_usd, priced, "
                + "cost_source, price_version, price_source, input_cost_usd, output_cost_usd, user_id, session_id, "
                + "status_code, error_type, finish_reasons, duration_ns, service_name, dialect, tokens_per_second "
                + "FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo("openai|gpt-4o|1000|500|1500|0.007500000000|t|computed|genai-prices@47df840a|openai/gpt-4o"
                        + "|0.002500000000|0.005000000000|alice|s-1|2|429|{stop,length}|1500000000|chatbot|otel-genai"
                        + "|333.3333333333333");
        assertThat(pg.psql("SELECT source_keys @> ARRAY['gen_ai.provider.name','gen_ai.usage.input_tokens','user.id'] "
                + "FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("t");
        // The trace shows its own cost.
        assertThat(pg.psql("SELECT attributes->>'llm.cost.total_usd', attributes->>'llm.cost.prompt_usd', "
                + "attributes->>'llm.cost.completion_usd', attributes->>'llm.cost.source', "
                + "attributes->>'llm.cost.price_version', attributes->>'llm.tokens_per_second' "
                + "FROM spans WHERE tenant = '" + tenant + "' AND name = 'chat gpt-4o'"))
                .isEqualTo("0.0075|0.0025|0.005|computed|genai-prices@47df840a|333.3333333333333");
        assertThat(pg.psql("SELECT encode(parent_span_id, 'hex'), kind, start_time = timestamptz '2026-11-27 10:00:00.123456+00' "
                + "FROM spans WHERE tenant = '" + tenant + "' AND name = 'chat gpt-4o'"))
                .isEqualTo("eee19b7ec3c1b174|3|t");
    }

    /**
     * An app asks for gpt-4o-mini five times: four answers come from gpt-4o-mini-2024-07-18, one call fails with a
     * 429 (no response model). All five are one model, gpt-4o-mini, with 20 % errors, in the calls and the rollups;
     * each answer is priced by the model that answered, which stays on the call as its response model.
     */
    @Test
    void callsAreGroupedUnderTheRequestedModelAndPricedByTheModelThatAnswered() {
        String tenant = tenant();
        String trace = "5b8efff798038103d269b633813fc6a0";
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            spans.add(llmSpan(trace, "00000000000000a" + i, "gpt-4o-mini").toBuilder()
                    .addAttributes(str("gen_ai.response.model", "gpt-4o-mini-2024-07-18")).build());
        }
        spans.add(span(trace, "00000000000000a4", "", "chat", 3, 2).toBuilder() // 429: no answer, no usage
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
                .addAttributes(str("error.type", "429")).build());
        // Asked for under a deployment name the catalogs do not know, answered by a model they do.
        spans.add(llmSpan(trace, "00000000000000b0", "support-prod").toBuilder()
                .addAttributes(str("gen_ai.response.model", "gpt-4o-2024-08-06")).build());

        pipeline.consume(tenant, batch(spans.toArray(Span[]::new))).await().atMost(WAIT);
        drainer.drainAll().await().atMost(WAIT);

        // 1000 input and 500 output tokens at gpt-4o-mini's 0.15 / 0.60 USD per million; gpt-4o's 2.50 / 10.
        assertThat(pg.psql("SELECT string_agg(model || '|' || request_model || '|' || coalesce(response_model, '-') || '|'"
                + " || coalesce(cost_usd::text, '-') || '|' || coalesce(price_source, '-'), ',' ORDER BY span_id) "
                + "FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo(String.join(",", Collections.nCopies(4,
                        "gpt-4o-mini|gpt-4o-mini|gpt-4o-mini-2024-07-18|0.000450000000|openai/gpt-4o-mini"))
                        + ",gpt-4o-mini|gpt-4o-mini|-|-|no token usage reported,support-prod|support-prod|gpt-4o-2024-08-06|0.007500000000"
                        + "|openai/gpt-4o");
        for (String rollup : List.of("llm_calls_model_1m", "llm_calls_model_1h", "llm_calls_model_1d")) {
            assertThat(pg.psql("SELECT string_agg(model || '=' || requests || '/' || errors || '/' || cost_usd, ',' "
                    + "ORDER BY model) FROM " + rollup + " WHERE tenant = '" + tenant + "'"))
                    .as(rollup).isEqualTo("gpt-4o-mini=5/1/0.001800000000,support-prod=1/0/0.007500000000");
        }
    }

    @Test
    void aRetriedBatchStoresNothingTwice() {
        String tenant = tenant();
        ExportTraceServiceRequest batch = batch(llmSpan("11111111111111111111111111111111", "2222222222222222"));
        pipeline.consume(tenant, batch).await().atMost(WAIT);
        pipeline.consume(tenant, batch).await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(*), sum(cost_usd) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo("1|0.007500000000");
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    @Test
    void aSpanResentWithAnotherStartTimeIsStoredOnceWhateverTheTime() {
        String tenant = tenant();
        Span first = llmSpan("99999999999999999999999999999999", "aaaaaaaaaaaaaaaa");
        // an SDK that re-stamps a retried span (microseconds apart), and the same ids a day later (another partition)
        for (long later : new long[] {0, 3_000, 86_400_000_000_000L}) {
            Span resent = first.toBuilder().setStartTimeUnixNano(first.getStartTimeUnixNano() + later)
                    .setEndTimeUnixNano(first.getEndTimeUnixNano() + later).build();
            TracesConsumer.BatchResult result = pipeline.consume(tenant, batch(resent)).await().atMost(WAIT);
            assertThat(result.rejectedSpans()).isZero();
        }
        assertThat(pg.psql("SELECT count(*), sum(cost_usd) FROM llm_calls WHERE tenant = '" + tenant + "'"))
                .isEqualTo("1|0.007500000000");
        assertThat(pg.psql("SELECT count(*), min(start_time) = timestamptz '2026-11-27 10:00:00.123456+00' "
                + "FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("1|t");
        // counted once in the rollups too (queued, or already drained into them: one snapshot of both)
        assertThat(pg.psql("SELECT (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '" + tenant + "') "
                + "+ (SELECT coalesce(sum(requests), 0) FROM llm_calls_model_1h WHERE tenant = '" + tenant + "')"))
                .isEqualTo("1");
    }

    @Test
    void aSpanIdTwiceInOneBatchIsRefusedThroughPartialSuccessAndTheRestStored() {
        String tenant = tenant();
        Span first = llmSpan("abababababababababababababababab", "cdcdcdcdcdcdcdcd");
        Span twice = first.toBuilder().setStartTimeUnixNano(first.getStartTimeUnixNano() + 5_000).build();
        Span other = span("abababababababababababababababab", "efefefefefefefef", "cdcdcdcdcdcdcdcd", "tool", 1, 0);

        TracesConsumer.BatchResult result = pipeline.consume(tenant, batch(first, twice, other)).await().atMost(WAIT);

        assertThat(result.rejectedSpans()).isEqualTo(1);
        assertThat(result.firstRejection()).contains("cdcdcdcdcdcdcdcd").contains("twice");
        assertThat(result.spans()).isEqualTo(2);
        assertThat(pg.psql("SELECT count(*) FROM spans WHERE tenant = '" + tenant + "'")).isEqualTo("2");
        assertThat(pg.psql("SELECT count(*) FROM llm_calls WHERE tenant = '" + tenant + "'")).isEqualTo("1");
    }

    @Test
    void tenantsAreSeparateEvenForTheSameIds() {
        ExportTraceServiceRequest batch = batch(llmSpan("33333333333333333333333333333333", "4444444444444444"));
        String a = tenant();
        String b = tenant();
        pipeline.consume(a, batch).await().atMost(WAIT);
        pipeline.consume(b, batch).await().atMost(WAIT);
        assertThat(pg.psql("SELECT count(DISTINCT tenant) FROM llm_calls WHERE tenant IN ('" + a + "','" + b + "')"))
                .isEqualTo("2");
    }

    @Test
    void everyAttributeTypeIsKeptIncludingTextPostgresCannotHold() {
        String tenant = tenant();
        Span span = span("55555555555555555555555555555555", "6666666666666666", "", "odd\u0000name", 1, 0).toBuilder()
                .addAttributes(str("nul", "a\u0000b"))
                .addAttributes(KeyValue.newBuilder().setKey("bool").setValue(AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(KeyValue.newBuilder().setKey("double").setValue(AnyValue.newBuilder().setDoubleValue(0.5)))
                .addAttributes(KeyValue.newBuilder().setKey("nan").setValue(AnyValue.newBuilder().setDoubleValue(Double.NaN)))
                .addAttributes(KeyValue.newBuilder().setKey("bytes").setValue(AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFromUtf8("hi"))))
                .addAttributes(KeyValue.newBuilder().setKey("map").setValue(AnyValue.newBuilder().setKvlistValue(
                        KeyValueList.newBuilder().addValues(str("inner \"quoted\"\n", "v")))))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(5)
                        .addAttributes(str("exception.message", "boom")))
                .addLinks(Span.Link.newBuilder().setTraceId(id("77777777777777777777777777777777"))
                        .setSpanId(id("8888888888888888")).setTraceState("k=v"))
                .build();
        pipeline.consume(tenant, batch(span)).await().atMost(WAIT);
        assertThat(pg.psql("SELECT name, attributes->>'nul', attributes->'bool', attributes->'double', "
                + "attributes->>'nan', attributes->>'bytes', attributes->'map'->>E'inner \"quoted\"\\n', "
                + "events->0->>'name', links->0->>'traceId', links->0->>'traceState' "
                + "FROM spans WHERE tenant = '" + tenant + "'"))
                .isEqualTo("odd\uFFFDname|a\uFFFDb|true|0.5|NaN|aGk=|v|exception|77777777777777777777777777777777|k=v");
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
