package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Spans carrying each dialect's keys, sent by the OpenTelemetry Java SDK, arrive priced in the query API; an
 * operator price change applied by recompute moves the totals exactly once.
 */
class DialectsIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void everyDialectIsPricedAndARecomputeAppliesAPriceChangeOnce() {
        String tenant = Llm.newTenant("dialects");
        SdkTracerProvider provider = Llm.provider("polyglot", OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort).addHeader("Authorization", Llm.bearer(suite, tenant)).build());
        Tracer tracer = provider.get("dialects");
        Instant start = Instant.now().minusSeconds(30);

        // OpenTelemetry GenAI (current): gpt-4o 1000 in / 500 out = 7500 micro-USD
        span(tracer, start, s -> s.setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.request.model", "gpt-4o")
                .setAttribute("gen_ai.usage.input_tokens", 1000L).setAttribute("gen_ai.usage.output_tokens", 500L));
        // OpenInference: gpt-4o-mini 10000 / 2000 = 10000 x 0.15 + 2000 x 0.6 = 2700
        span(tracer, start, s -> s.setAttribute("openinference.span.kind", "LLM").setAttribute("llm.provider", "openai")
                .setAttribute("llm.model_name", "gpt-4o-mini").setAttribute("llm.token_count.prompt", 10_000L)
                .setAttribute("llm.token_count.completion", 2_000L).setAttribute("llm.token_count.total", 12_000L));
        // OpenLLMetry: claude 3.5 haiku 10000 in (5000 cache read, 2000 cache write) / 1000 out
        //   = 3000 x 0.8 + 5000 x 0.08 + 2000 x 1 + 1000 x 4 = 8800
        span(tracer, start, s -> s.setAttribute("gen_ai.system", "Anthropic").setAttribute("llm.request.type", "chat")
                .setAttribute("gen_ai.request.model", "claude-3-5-haiku-20241022")
                .setAttribute("gen_ai.usage.prompt_tokens", 10_000L).setAttribute("gen_ai.usage.completion_tokens", 1_000L)
                .setAttribute("gen_ai.usage.cache_read_input_tokens", 5_000L)
                .setAttribute("gen_ai.usage.cache_creation_input_tokens", 2_000L)
                .setAttribute("llm.usage.total_tokens", 11_000L)
                .setAttribute("traceloop.association.properties.user_id", "dave"));
        // Vercel AI SDK: the outer generateText span repeats its step's usage and must not count twice.
        Span outer = tracer.spanBuilder("ai.generateText").setStartTimestamp(start)
                .setAttribute("ai.operationId", "ai.generateText").setAttribute("ai.model.id", "gpt-4.1")
                .setAttribute("ai.model.provider", "openai.chat").setAttribute("ai.usage.promptTokens", 5_000L)
                .setAttribute("ai.usage.completionTokens", 1_000L).startSpan();
        try (Scope ignored = outer.makeCurrent()) {
            // gpt-4.1: 5000 x 2 + 1000 x 8 = 18000
            span(tracer, start, s -> s.setAttribute("ai.operationId", "ai.generateText.doGenerate")
                    .setAttribute("ai.model.id", "gpt-4.1").setAttribute("ai.model.provider", "openai.chat")
                    .setAttribute("ai.usage.promptTokens", 5_000L).setAttribute("ai.usage.completionTokens", 1_000L));
        } finally {
            outer.end(start.plusSeconds(2));
        }
        // Langfuse: provider from server.address; gemini-2.5-flash 10000 x 0.3 + 1000 x 2.5 = 5500
        span(tracer, start, s -> s.setAttribute("langfuse.observation.type", "generation")
                .setAttribute("langfuse.observation.model.name", "gemini-2.5-flash")
                .setAttribute("langfuse.observation.usage_details", "{\"input\": 10000, \"output\": 1000}")
                .setAttribute("langfuse.user.id", "erin")
                .setAttribute("server.address", "generativelanguage.googleapis.com"));
        Llm.flush(provider);
        provider.shutdown();

        Map<String, String> expected = Map.of("gpt-4o", "0.0075", "gpt-4o-mini", "0.0027",
                "claude-3-5-haiku-20241022", "0.0088", "gpt-4.1", "0.018", "gemini-2.5-flash", "0.0055");
        JsonPath costs = costs(tenant);
        assertThat(costs.getList("models.model", String.class)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map<String, Object> m : costs.<Map<String, Object>>getList("models")) {
            assertThat(Llm.dec(m.get("costUsd"))).as((String) m.get("model"))
                    .isEqualByComparingTo(expected.get((String) m.get("model")));
            assertThat(Llm.dec(m.get("requests"))).as((String) m.get("model")).isEqualByComparingTo("1");
        }
        assertThat(Llm.dec(costs.get("totalCostUsd"))).isEqualByComparingTo("0.0425");

        // A negotiated output price for gpt-4o-mini, applied to what is already stored.
        Suite.asOperator().baseUri(enrichUrl()).contentType(ContentType.JSON)
                .body("{\"tenant\": \"" + tenant + "\", \"model\": \"gpt-4o-mini\", \"outputMtok\": 1.2}")
                .put("/admin/v1/prices/overrides/mini-" + tenant).then().statusCode(200);
        recompute(tenant, start);
        // gpt-4o-mini now 10000 x 0.15 + 2000 x 1.2 = 3900
        assertThat(Llm.dec(costs(tenant).get("totalCostUsd"))).isEqualByComparingTo("0.0437");
        String second = recompute(tenant, start);
        assertThat(Llm.dec(costs(tenant).get("totalCostUsd"))).isEqualByComparingTo("0.0437");
        Suite.asOperator().baseUri(enrichUrl()).get("/admin/v1/recompute/" + second).then()
                .body("callsSeen", equalTo(5)).body("callsChanged", equalTo(0));
    }

    /**
     * The generation @langfuse/openai 5 recorded (usage_details {"input":100,"input_cached_tokens":20,"output":45,
     * "total":165}, a model and no provider) sent over OTLP: stored as 120 input of which 20 cached, priced
     * 100 x 0.15 + 20 x 0.075 + 45 x 0.6 = 43.5 micro-USD, under the provider the catalog knows the model by.
     */
    @Test
    void aLangfuseGenerationWithCachedTokensIsPricedExactly() throws IOException {
        String tenant = Llm.newTenant("langfuse");
        JsonNode recorded = new ObjectMapper().readTree(Suite.projectRoot()
                .resolve("services/enrich/src/test/resources/dialects/recorded/langfuse-cached.json").toFile());
        JsonNode generation = recorded.get("spans").get(0);
        assertThat(generation.at("/attributes/langfuse.observation.usage_details").asText())
                .isEqualTo("{\"input\":100,\"output\":45,\"total\":165,\"input_cached_tokens\":20}");
        SdkTracerProvider provider = Llm.provider("langfuse-app", OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + suite.ingestGrpcPort).addHeader("Authorization", Llm.bearer(suite, tenant)).build());
        Instant start = Instant.now().minusSeconds(30);
        span(provider.get("langfuse"), start, s -> generation.get("attributes").fields().forEachRemaining(a -> {
            if (a.getValue().isIntegralNumber()) {
                s.setAttribute(a.getKey(), a.getValue().asLong());
            } else {
                s.setAttribute(a.getKey(), a.getValue().asText());
            }
        }));
        Llm.flush(provider);
        provider.shutdown();

        JsonPath costs = costs(tenant);
        assertThat(costs.getList("models.model", String.class)).containsExactly("gpt-4o-mini");
        assertThat(costs.getString("models[0].provider")).isEqualTo("openai");
        assertThat(Llm.dec(costs.get("models[0].inputTokens"))).isEqualByComparingTo("120");
        assertThat(Llm.dec(costs.get("models[0].cacheReadTokens"))).isEqualByComparingTo("20");
        assertThat(Llm.dec(costs.get("models[0].outputTokens"))).isEqualByComparingTo("45");
        assertThat(Llm.dec(costs.get("models[0].costUsd"))).isEqualByComparingTo("0.0000435");
        assertThat(suite.postgres.psql("SELECT provider || ' ' || provider_inferred || ' ' || dialect FROM llm_calls"
                + " WHERE tenant = '" + tenant + "'")).isEqualTo("openai true langfuse");
    }

    private static void span(Tracer tracer, Instant start, Consumer<Span> attributes) {
        Span span = tracer.spanBuilder("llm call").setSpanKind(SpanKind.CLIENT).setStartTimestamp(start).startSpan();
        attributes.accept(span);
        span.setAttribute(AttributeKey.stringArrayKey("tags"), List.of("e2e"));
        span.end(start.plusSeconds(1));
    }

    private static JsonPath costs(String tenant) {
        return Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
    }

    private static String recompute(String tenant, Instant around) {
        String id = Suite.asOperator().baseUri(enrichUrl()).contentType(ContentType.JSON)
                .body("{\"from\": \"" + around.minusSeconds(3600) + "\", \"to\": \"" + around.plusSeconds(3600)
                        + "\", \"tenant\": \"" + tenant + "\"}")
                .post("/admin/v1/recompute").then().statusCode(202).extract().path("id");
        for (int i = 0; i < 300; i++) {
            String status = Suite.asOperator().baseUri(enrichUrl()).get("/admin/v1/recompute/" + id).then()
                    .statusCode(200).extract().path("status");
            if (!"running".equals(status)) {
                assertThat(status).isEqualTo("done");
                return id;
            }
            Suite.sleep(100);
        }
        throw new AssertionError("recompute " + id + " did not finish");
    }

    private static String enrichUrl() {
        return "http://127.0.0.1:" + suite.enrichPort;
    }
}
