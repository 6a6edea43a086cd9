package io.llmobservatory.e2e;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real applications: the OpenTelemetry Java SDK with its OTLP exporters (gRPC and HTTP/protobuf) sends LLM
 * spans through ingest and enrich into PostgreSQL; the query API answers cost by model and the trace by id.
 */
class SdkExportIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void grpcExporterSpansArePricedPerModelAndRetrievableById() {
        String tenant = Llm.newTenant("grpc");
        SpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort)
                .addHeader("Authorization", Llm.bearer(suite, tenant))
                .build();
        assertCostsAndTrace(tenant, exporter);
    }

    @Test
    void httpProtobufExporterSpansArePricedPerModelAndRetrievableById() {
        String tenant = Llm.newTenant("http");
        SpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(suite.ingestHttpUrl() + "/v1/traces")
                .setCompression("gzip")
                .addHeader("Authorization", Llm.bearer(suite, tenant))
                .build();
        assertCostsAndTrace(tenant, exporter);
    }

    private static void assertCostsAndTrace(String tenant, SpanExporter exporter) {
        SdkTracerProvider provider = Llm.provider("support-bot", exporter);
        var tracer = provider.get("e2e");
        String first = Llm.chatTrace(tracer, "openai", "gpt-4o", 1000, 500, null, "alice", false);
        Llm.chatTrace(tracer, "openai", "gpt-4o", 3000, 1000, 2000L, "bob", false);
        Llm.chatTrace(tracer, "anthropic", "claude-3-5-sonnet-20241022", 2000, 100, 1000L, "alice", true);
        Llm.chatTrace(tracer, "acme", "acme-llm-7", 10, 10, null, "carol", false);
        Llm.flush(provider);
        provider.shutdown();

        JsonPath costs = Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million tokens.
        //   call 1: 1000*2.5 + 500*10 = 7500 micro-USD; call 2: 1000*2.5 + 2000*1.25 + 1000*10 = 15000
        // claude 3.5 sonnet: $3 input, $0.30 cache read, $15 output: 1000*3 + 1000*0.3 + 100*15 = 4800
        List<Map<String, Object>> models = costs.getList("models");
        assertThat(models).extracting(m -> m.get("model"))
                .containsExactly("gpt-4o", "claude-3-5-sonnet-20241022", "acme-llm-7");
        Map<String, Object> gpt = models.get(0);
        assertThat(Llm.dec(gpt.get("costUsd"))).isEqualByComparingTo("0.0225");
        assertThat(Llm.dec(gpt.get("requests"))).isEqualByComparingTo("2");
        assertThat(Llm.dec(gpt.get("inputTokens"))).isEqualByComparingTo("4000");
        assertThat(Llm.dec(gpt.get("outputTokens"))).isEqualByComparingTo("1500");
        assertThat(gpt.get("provider")).isEqualTo("openai");
        assertThat(Llm.dec(gpt.get("avgLatencyMs"))).isEqualByComparingTo("1000");
        assertThat(Llm.dec(models.get(1).get("costUsd"))).isEqualByComparingTo("0.0048");
        // Unknown model: counted, flagged as unpriced, never priced at $0 silently.
        Map<String, Object> unknown = models.get(2);
        assertThat(Llm.dec(unknown.get("unpricedRequests"))).isEqualByComparingTo("1");
        assertThat(Llm.dec(costs.get("totalCostUsd"))).isEqualByComparingTo("0.0273");

        JsonPath trace = Llm.query(suite, tenant).get("/api/v1/traces/" + first).then().statusCode(200)
                .extract().jsonPath();
        assertThat(trace.getInt("spanCount")).isEqualTo(2);
        assertThat(trace.getList("spans.name", String.class)).containsExactly("POST /chat", "chat gpt-4o");
        assertThat(trace.getString("spans[1].parentSpanId")).isEqualTo(trace.getString("spans[0].spanId"));
        assertThat(trace.getString("spans[1].kind")).isEqualTo("CLIENT");
        assertThat(trace.getString("spans[1].serviceName")).isEqualTo("support-bot");
        assertThat(trace.getString("spans[1].attributes.'gen_ai.request.model'")).isEqualTo("gpt-4o");
        assertThat(trace.getList("spans[1].attributes.'gen_ai.response.finish_reasons'")).containsExactly("stop");
        assertThat(trace.getString("spans[1].events[0].name")).isEqualTo("gen_ai.content.prompt");
        assertThat(trace.getString("spans[1].resource.'telemetry.sdk.language'")).isEqualTo("java");
        assertThat(trace.getString("spans[1].scope.name")).isEqualTo("e2e");

        // Another tenant sees none of it.
        Llm.query(suite, Llm.newTenant("other")).get("/api/v1/traces/" + first).then().statusCode(404);
    }
}
