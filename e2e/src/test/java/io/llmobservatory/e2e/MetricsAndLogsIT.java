package io.llmobservatory.e2e;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Metrics and logs end to end with the OpenTelemetry Java SDK's OTLP metric (gRPC) and log (HTTP) exporters. */
class MetricsAndLogsIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void genAiMetricsAreQueryableByModelAndProvider() {
        String tenant = Llm.newTenant("metrics");
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "metered-bot"))))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort).addHeader("Authorization", Llm.bearer(suite, tenant))
                        .build()).build())
                .build();
        DoubleHistogram usage = meters.get("e2e").histogramBuilder("gen_ai.client.token.usage").setUnit("{token}").build();
        Attributes input = Attributes.builder().put("gen_ai.provider.name", "openai")
                .put("gen_ai.request.model", "gpt-4o").put("gen_ai.operation.name", "chat")
                .put("gen_ai.token.type", "input").build();
        Attributes output = input.toBuilder().put("gen_ai.token.type", "output").build();
        usage.record(100, input);
        usage.record(200, input);
        usage.record(700, input);
        usage.record(50, output);
        meters.get("e2e").counterBuilder("app.requests").build().add(3);
        assertThat(meters.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        meters.shutdown().join(30, TimeUnit.SECONDS);

        List<Map<String, Object>> rows = Llm.query(suite, tenant).queryParam("model", "gpt-4o")
                .get("/api/v1/metrics/genai").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(rows).hasSize(2);
        Map<String, Object> in = rows.stream().filter(r -> "input".equals(r.get("tokenType"))).findFirst().orElseThrow();
        assertThat(in.get("metric")).isEqualTo("gen_ai.client.token.usage");
        assertThat(in.get("provider")).isEqualTo("openai");
        assertThat(Llm.dec(in.get("count"))).isEqualByComparingTo("3");
        assertThat(Llm.dec(in.get("sum"))).isEqualByComparingTo("1000");
        assertThat(suite.postgres.psql("SELECT type, temporality, monotonic FROM metric_points WHERE tenant = '" + tenant
                + "' AND name = 'app.requests' LIMIT 1")).isEqualTo("sum|2|t");
    }

    @Test
    void logsAreStoredScrubbedAndLinkedToTheirTrace() {
        String tenant = Llm.newTenant("logs");
        SdkTracerProvider tracing = Llm.provider("logging-bot", OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort).addHeader("Authorization", Llm.bearer(suite, tenant)).build());
        SdkLoggerProvider logging = SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "logging-bot")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
                        .setEndpoint(suite.ingestHttpUrl() + "/v1/logs").addHeader("Authorization", Llm.bearer(suite, tenant)).build()))
                .build();
        Span span = tracing.get("e2e").spanBuilder("chat gpt-4o").startSpan();
        Context withSpan = Context.root().with(span);
        logging.get("e2e").logRecordBuilder().setContext(withSpan).setSeverity(Severity.INFO)
                .setEventName("gen_ai.user.message")
                .setBody("question from bob@example.org about invoice 42").setTimestamp(Instant.now()).emit();
        logging.get("e2e").logRecordBuilder().setSeverity(Severity.ERROR).setBody("payment failed")
                .setAttribute(AttributeKey.stringKey("card"), "4111 1111 1111 1111").setTimestamp(Instant.now()).emit();
        span.end();
        Llm.flush(tracing);
        assertThat(logging.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        logging.shutdown();
        tracing.shutdown();

        JsonPath errors = Llm.query(suite, tenant).queryParam("severity", 17).get("/api/v1/logs").then().statusCode(200)
                .extract().jsonPath();
        assertThat(errors.getList("body")).containsExactly("payment failed");
        assertThat(errors.getString("[0].attributes.card")).isEqualTo("<CREDIT_CARD>");
        assertThat(errors.getString("[0].serviceName")).isEqualTo("logging-bot");

        String traceId = span.getSpanContext().getTraceId();
        Llm.query(suite, tenant).get("/api/v1/traces/" + traceId).then().statusCode(200)
                .body("spanCount", equalTo(1))
                .body("logs[0].spanId", equalTo(span.getSpanContext().getSpanId()))
                .body("logs[0].eventName", equalTo("gen_ai.user.message"))
                .body("logs[0].body", equalTo("question from <EMAIL> about invoice 42"));
    }

    @Test
    void invalidDataPointsAndLogRecordsGetPartialSuccess() {
        String tenant = Llm.newTenant("signals-partial");
        long t = OtlpJson.nowNanos();
        String metrics = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
                  {"name":"ok.gauge","gauge":{"dataPoints":[{"timeUnixNano":"%d","asInt":"5"},{"asInt":"6"}]}},
                  {"name":"bad.hist","histogram":{"aggregationTemporality":1,"dataPoints":[
                     {"timeUnixNano":"%d","count":"3","bucketCounts":["1","1"],"explicitBounds":[1.0,2.0]}]}}]}]}]}
                """.formatted(t, t);
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant)).contentType("application/json")
                .body(metrics.getBytes(StandardCharsets.UTF_8)).post("/v1/metrics").then().statusCode(200)
                .body("partialSuccess.rejectedDataPoints", equalTo("2"))
                .body("partialSuccess.errorMessage", containsString("rejected 2 of 3 metric points"))
                .body("partialSuccess.errorMessage", containsString("time_unix_nano must be set"));
        assertThat(suite.postgres.psql("SELECT count(*) FROM metric_points WHERE tenant = '" + tenant + "'")).isEqualTo("1");

        String logs = """
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[
                  {"timeUnixNano":"%d","severityNumber":9,"body":{"stringValue":"fine"}},
                  {"timeUnixNano":"%d","severityNumber":99,"body":{"stringValue":"bad severity"}},
                  {"timeUnixNano":"%d","spanId":"eee19b7ec3c1b174","body":{"stringValue":"span without trace"}}]}]}]}
                """.formatted(t, t, t);
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant)).contentType("application/json")
                .body(logs.getBytes(StandardCharsets.UTF_8)).post("/v1/logs").then().statusCode(200)
                .body("partialSuccess.rejectedLogRecords", equalTo("2"))
                .body("partialSuccess.errorMessage", containsString("severity_number 99 is outside 0..24"));
        assertThat(suite.postgres.psql("SELECT body #>> '{}' FROM logs WHERE tenant = '" + tenant + "'")).isEqualTo("fine");

        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .contentType("application/x-protobuf")
                .body(new byte[] {(byte) 0xff, 0x01}).post("/v1/metrics").then().statusCode(400);
        RestAssured.given().baseUri(suite.ingestHttpUrl()).header("Authorization", Llm.bearer(suite, tenant))
                .contentType("application/json")
                .body("{\"resourceLogs\": 5}").post("/v1/logs").then().statusCode(400)
                .body("message", containsString("ExportLogsServiceRequest"));
    }
}
