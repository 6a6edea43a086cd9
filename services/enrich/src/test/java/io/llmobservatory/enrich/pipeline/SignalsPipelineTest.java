package io.llmobservatory.enrich.pipeline;

import io.llmobservatory.testkit.PostgresCluster;
import io.llmobservatory.testkit.PostgresTestResource;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.llmobservatory.enrich.OtlpFixtures.id;
import static io.llmobservatory.enrich.OtlpFixtures.str;
import static io.llmobservatory.enrich.OtlpFixtures.sv;
import static org.assertj.core.api.Assertions.assertThat;

/** Metrics of every OTLP type and logs, stored faithfully and idempotently in a real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignalsPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long T = 1_795_773_600_000_000_000L;

    @Inject
    SignalsPipeline pipeline;

    private final PostgresCluster pg = PostgresTestResource.cluster();

    @Test
    void everyMetricTypeIsStoredFaithfullyAndOnce() {
        String tenant = tenant();
        ExportMetricsServiceRequest batch = metrics(
                Metric.newBuilder().setName("queue.depth").setUnit("{item}").setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(7)
                                .addAttributes(str("queue", "a")))).build(),
                Metric.newBuilder().setName("requests").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T - 10).setTimeUnixNano(T)
                                .setAsDouble(12.5))).build(),
                Metric.newBuilder().setName("gen_ai.client.token.usage").setUnit("{token}").setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T - 10).setTimeUnixNano(T)
                                .setCount(3).setSum(1500).setMin(100).setMax(1000)
                                .addAllBucketCounts(List.of(1L, 1L, 1L)).addAllExplicitBounds(List.of(200.0, 600.0))
                                .addAttributes(str("gen_ai.system", "OpenAI"))
                                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                                .addAttributes(str("gen_ai.response.model", "gpt-4o-2024-08-06"))
                                .addAttributes(str("gen_ai.operation.name", "chat"))
                                .addAttributes(str("gen_ai.token.type", "input"))
                                .addExemplars(Exemplar.newBuilder().setTimeUnixNano(T).setAsDouble(1000)
                                        .setTraceId(id("5b8efff798038103d269b633813fc60c"))
                                        .setSpanId(id("eee19b7ec3c1b174"))))).build(),
                Metric.newBuilder().setName("latency.exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(5)
                                .setScale(3).setZeroCount(1).setSum(42)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(2)
                                        .addAllBucketCounts(List.of(3L, 1L))))).build(),
                Metric.newBuilder().setName("rpc.summary").setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T).setCount(10).setSum(55)
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99)
                                        .setValue(9.5)))).build());

        assertThat(pipeline.consumeMetrics(tenant, batch).await().atMost(WAIT)).isEqualTo(5);
        pipeline.consumeMetrics(tenant, batch).await().atMost(WAIT);

        assertThat(pg.psql("SELECT count(*) FROM metric_points WHERE tenant = '" + tenant + "'")).isEqualTo("5");
        assertThat(pg.psql("SELECT type, value_int, unit, attributes->>'queue' FROM metric_points WHERE tenant = '"
                + tenant + "' AND name = 'queue.depth'")).isEqualTo("gauge|7|{item}|a");
        assertThat(pg.psql("SELECT type, value_double, temporality, monotonic FROM metric_points WHERE tenant = '"
                + tenant + "' AND name = 'requests'")).isEqualTo("sum|12.5|2|t");
        assertThat(pg.psql("SELECT type, count, sum, min, max, bucket_counts, explicit_bounds, temporality, gen_ai_provider, "
                + "gen_ai_model, gen_ai_operation, gen_ai_token_type, exemplar_trace_ids, exemplars->0->>'spanId' "
                + "FROM metric_points WHERE tenant = '" + tenant + "' AND name = 'gen_ai.client.token.usage'"))
                .isEqualTo("histogram|3|1500|100|1000|{1,1,1}|{200,600}|1|openai|gpt-4o|chat|input"
                        + "|{5b8efff798038103d269b633813fc60c}|eee19b7ec3c1b174");
        assertThat(pg.psql("SELECT type, count, exponential->>'scale', exponential->'positive'->>'offset', "
                + "exponential->'positive'->'bucketCounts' FROM metric_points WHERE tenant = '" + tenant
                + "' AND name = 'latency.exp'")).isEqualTo("exponential_histogram|5|3|2|[3, 1]");
        assertThat(pg.psql("SELECT type, count, sum, quantiles->0->>'quantile', quantiles->0->>'value' FROM metric_points "
                + "WHERE tenant = '" + tenant + "' AND name = 'rpc.summary'")).isEqualTo("summary|10|55|0.99|9.5");
    }

    @Test
    void logsAreScrubbedLinkedToTheirSpanAndStoredOnce() {
        String tenant = tenant();
        ExportLogsServiceRequest batch = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "bot")))
                .addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(T).setSeverityNumberValue(9)
                                .setSeverityText("INFO").setBody(sv("user alice@example.com logged in"))
                                .addAttributes(str("client.phone", "+1 415 555 0123")))
                        .addLogRecords(LogRecord.newBuilder().setObservedTimeUnixNano(T + 1).setEventName("gen_ai.choice")
                                .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))
                                .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(str("role", "assistant"))
                                        .addValues(str("content", "card 4111 1111 1111 1111 received")))))
                        .addLogRecords(LogRecord.newBuilder().setSeverityNumberValue(17).setBody(sv("no time at all")))))
                .build();

        assertThat(pipeline.consumeLogs(tenant, batch).await().atMost(WAIT)).isEqualTo(3);
        pipeline.consumeLogs(tenant, batch).await().atMost(WAIT);

        assertThat(pg.psql("SELECT count(*) FROM logs WHERE tenant = '" + tenant + "'")).isEqualTo("3");
        assertThat(pg.psql("SELECT body #>> '{}', attributes->>'client.phone', severity_text, service_name FROM logs "
                + "WHERE tenant = '" + tenant + "' AND severity_number = 9"))
                .isEqualTo("user <EMAIL> logged in|<PHONE>|INFO|bot");
        assertThat(pg.psql("SELECT body->>'content', encode(trace_id, 'hex'), encode(span_id, 'hex'), event_name, "
                + "time = timestamptz 'epoch' + interval '1795773600 seconds' FROM logs WHERE tenant = '" + tenant
                + "' AND event_name <> ''"))
                .isEqualTo("card <CREDIT_CARD> received|5b8efff798038103d269b633813fc60c|eee19b7ec3c1b174|gen_ai.choice|t");
        assertThat(pg.psql("SELECT time = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM logs "
                + "WHERE tenant = '" + tenant + "' AND severity_number = 17")).isEqualTo("t");
    }

    /** One value per built-in detector, each as it would be sent. */
    static final List<String> SECRETS = List.of("alice.smith@example.com", "+1 415 555 0123", "4111 1111 1111 1111",
            "123-45-6789", "DE89370400440532013000", "sk-proj-abcdefghijklmnopqrstuvwxyz012345", "AKIAIOSFODNN7EXAMPLE",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "10.20.30.40");

    @Test
    void metricsAreScrubbedLikeSpansAndLogsInEveryAttributeTheyCarry() {
        String tenant = tenant();
        NumberDataPoint.Builder point = NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(1);
        Exemplar.Builder exemplar = Exemplar.newBuilder().setTimeUnixNano(T).setAsInt(1);
        io.opentelemetry.proto.common.v1.InstrumentationScope.Builder scope =
                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("lib").setVersion("1.0");
        Resource.Builder resource = Resource.newBuilder().addAttributes(str("service.name", "bot"));
        for (int i = 0; i < SECRETS.size(); i++) {
            String text = "value " + SECRETS.get(i) + " here";
            point.addAttributes(str("point." + i, text));
            exemplar.addFilteredAttributes(str("exemplar." + i, text));
            scope.addAttributes(str("scope." + i, text));
            resource.addAttributes(str("resource." + i, text));
        }
        ExportMetricsServiceRequest batch = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(ScopeMetrics.newBuilder()
                        .setScope(scope).addMetrics(Metric.newBuilder().setName("app.logins").setGauge(Gauge.newBuilder()
                                .addDataPoints(point.addExemplars(exemplar)))))).build();
        assertThat(pipeline.consumeMetrics(tenant, batch).await().atMost(WAIT)).isEqualTo(1);

        String row = pg.psql("SELECT row_to_json(m)::text FROM metric_points m WHERE tenant = '" + tenant + "'");
        assertThat(row).contains("app.logins", "<EMAIL>", "<PHONE>", "<CREDIT_CARD>", "<US_SSN>", "<IBAN>",
                "<API_KEY>", "<AWS_ACCESS_KEY>", "<JWT>", "<IP_ADDRESS>");
        for (String secret : SECRETS) {
            assertThat(row).as("metric_points must not hold " + secret).doesNotContain(secret)
                    .doesNotContain(secret.replace(" ", ""));
        }
        assertThat(pg.psql("SELECT attributes->>'point.0', resource_attributes->>'resource.3', "
                + "exemplars->0->'filteredAttributes'->>'exemplar.4' FROM metric_points WHERE tenant = '" + tenant + "'"))
                .isEqualTo("value <EMAIL> here|value <US_SSN> here|value <IBAN> here");
    }

    private static ExportMetricsServiceRequest metrics(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "bot")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))).build();
    }

    private static String tenant() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
