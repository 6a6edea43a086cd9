package io.llmobservatory.e2e;

import io.llmobservatory.sdk.LlmInstrumentation;
import io.llmobservatory.sdk.LlmOptions;
import io.llmobservatory.sdk.LlmRequest;
import io.llmobservatory.sdk.LlmResponse;
import io.llmobservatory.sdk.LlmSpan;
import io.llmobservatory.sdk.autoconfigure.ObservatoryAutoConfiguration;
import io.llmobservatory.sdk.context.EndUser;
import io.llmobservatory.sdk.sampling.PrioritySamplingSpanProcessor;
import io.llmobservatory.sdk.sampling.SamplingStats;
import io.llmobservatory.sdk.sampling.TraceIdHash;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small application instrumented with the Java SDK (sdk/), configured only through autoconfigure properties, exports
 * into the running suite with priority sampling on: the suite's cost by model, per-user spend and trace view show
 * exactly the calls of the traces the sampler kept — the error trace, the slow trace, and the ordinary traces whose
 * trace-id hash falls under the base rate — priced to the micro-dollar.
 */
class SdkInstrumentationIT {
    private static final int ORDINARY = 300;
    private static final double BASE_RATE = 0.1;
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void sampledSdkTracesArePricedPerModelPerUserAndViewable() throws Exception {
        String tenant = Llm.newTenant("sdkapp");
        Map<String, String> properties = Map.of(
                "otel.service.name", "sdk-app",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", suite.ingestHttpUrl(),
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "observatory.api-key", suite.key(tenant),
                "observatory.sampling.enabled", "true",
                "observatory.sampling.base-rate", String.valueOf(BASE_RATE),
                "observatory.sampling.slow-threshold-ms", "1000");
        Random seeded = new Random(20261207L);
        ObservatoryAutoConfiguration.takeLastSampler();
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(seededIds(seeded)))
                .build().getOpenTelemetrySdk();
        PrioritySamplingSpanProcessor sampler = ObservatoryAutoConfiguration.takeLastSampler();
        assertThat(sampler).as("sampling configured through autoconfigure").isNotNull();
        LlmInstrumentation llm = LlmInstrumentation.create(sdk, LlmOptions.defaults());
        Tracer app = sdk.getTracer("sdk-app");

        String errorTrace = request(app, "bob", "s-b", () -> {
            LlmSpan call = llm.start(LlmRequest.chat("openai", "gpt-4o").build());
            call.fail("429", new IllegalStateException("rate limited"));
        });
        String slowTrace = request(app, "alice", "s-a", () -> llm.call(
                LlmRequest.chat("anthropic", "claude-3-5-sonnet-20241022").maxTokens(200L).build(),
                () -> {
                    Thread.sleep(1100);
                    return "a slow answer";
                },
                answer -> LlmResponse.builder().id("msg_1").model("claude-3-5-sonnet-20241022")
                        .finishReasons(List.of("end_turn")).inputTokens(2000L).outputTokens(100L).build()));
        List<String> ordinary = new ArrayList<>();
        for (int i = 0; i < ORDINARY; i++) {
            ordinary.add(request(app, "carol", "s-c", () -> llm.call(LlmRequest.chat("openai", "gpt-4o").build(),
                    () -> "ok", answer -> LlmResponse.builder().model("gpt-4o").finishReasons(List.of("stop"))
                            .inputTokens(100L).outputTokens(10L).build())));
        }
        assertThat(sdk.getSdkTracerProvider().forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
        SamplingStats stats = sampler.stats();
        sdk.shutdown().join(30, TimeUnit.SECONDS);

        List<String> keptOrdinary = ordinary.stream().filter(id -> TraceIdHash.of(id) < BASE_RATE).toList();
        int k = keptOrdinary.size();
        // Binomial(300, 0.1): mean 30, sd 5.2; the seed fixes the ids, the bound says the rate is honoured.
        assertThat(k).isBetween(10, 50);
        assertThat(stats.keptError()).isEqualTo(1);
        assertThat(stats.keptSlow()).isEqualTo(1);
        assertThat(stats.keptBase()).isEqualTo(k);
        assertThat(stats.dropped()).isEqualTo(ORDINARY - k);

        // Cost by model: gpt-4o $2.50 in / $10 out per million: 100*2.5 + 10*10 = 350 micro-USD per kept call, plus the
        // failed call (no tokens, no cost); claude 3.5 sonnet $3 / $15: 2000*3 + 100*15 = 7500 micro-USD.
        JsonPath costs = Llm.query(suite, tenant).get("/api/v1/costs/by-model").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> models = costs.getList("models");
        assertThat(models).extracting(m -> m.get("model")).containsExactlyInAnyOrder("gpt-4o", "claude-3-5-sonnet-20241022");
        Map<String, Object> gpt = model(models, "gpt-4o");
        assertThat(Llm.dec(gpt.get("requests"))).isEqualByComparingTo(String.valueOf(k + 1));
        assertThat(Llm.dec(gpt.get("inputTokens"))).isEqualByComparingTo(String.valueOf(100 * k));
        assertThat(Llm.dec(gpt.get("costUsd"))).isEqualByComparingTo(micro(350L * k));
        Map<String, Object> claude = model(models, "claude-3-5-sonnet-20241022");
        assertThat(Llm.dec(claude.get("costUsd"))).isEqualByComparingTo(micro(7500));
        assertThat(Llm.dec(costs.get("totalCostUsd"))).isEqualByComparingTo(micro(350L * k + 7500));

        // Per-user spend: user.id came from baggage, set once per request, never on the call.
        List<Map<String, Object>> users = awaitUsers(tenant, 3);
        assertThat(Llm.dec(user(users, "carol").get("costUsd"))).isEqualByComparingTo(micro(350L * k));
        assertThat(Llm.dec(user(users, "carol").get("requests"))).isEqualByComparingTo(String.valueOf(k));
        assertThat(Llm.dec(user(users, "alice").get("costUsd"))).isEqualByComparingTo(micro(7500));
        assertThat(Llm.dec(user(users, "bob").get("requests"))).isEqualByComparingTo("1");

        // The trace view: the slow trace whole, as the SDK shaped it.
        JsonPath trace = Llm.query(suite, tenant).get("/api/v1/traces/" + slowTrace).then().statusCode(200)
                .extract().jsonPath();
        assertThat(trace.getList("spans.name", String.class))
                .containsExactly("POST /chat", "chat claude-3-5-sonnet-20241022");
        assertThat(trace.getString("spans[1].parentSpanId")).isEqualTo(trace.getString("spans[0].spanId"));
        assertThat(trace.getString("spans[1].kind")).isEqualTo("CLIENT");
        assertThat(trace.getString("spans[1].serviceName")).isEqualTo("sdk-app");
        assertThat(trace.getString("spans[1].scope.name")).isEqualTo(LlmInstrumentation.SCOPE);
        assertThat(trace.getString("spans[1].attributes.'gen_ai.provider.name'")).isEqualTo("anthropic");
        assertThat(trace.getString("spans[1].attributes.'user.id'")).isEqualTo("alice");
        assertThat(trace.getString("spans[1].attributes.'session.id'")).isEqualTo("s-a");
        JsonPath error = Llm.query(suite, tenant).get("/api/v1/traces/" + errorTrace).then().statusCode(200)
                .extract().jsonPath();
        assertThat(error.getString("spans[1].attributes.'error.type'")).isEqualTo("429");
        // What the sampler dropped never reached the suite; what it kept did.
        String dropped = ordinary.stream().filter(id -> TraceIdHash.of(id) >= BASE_RATE).findFirst().orElseThrow();
        Llm.query(suite, tenant).get("/api/v1/traces/" + dropped).then().statusCode(404);
        Llm.query(suite, tenant).get("/api/v1/traces/" + keptOrdinary.get(0)).then().statusCode(200);
    }

    private interface Body {
        void run() throws Exception;
    }

    /** One request of the application: a server span with the end user in baggage; returns its trace id. */
    private static String request(Tracer app, String user, String session, Body body) throws Exception {
        Span root = app.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = root.makeCurrent(); Scope who = EndUser.set(user, session)) {
            body.run();
        } finally {
            root.end();
        }
        return root.getSpanContext().getTraceId();
    }

    private static IdGenerator seededIds(Random random) {
        return new IdGenerator() {
            @Override
            public synchronized String generateSpanId() {
                return HexFormat.of().toHexDigits(random.nextLong() | 1);
            }

            @Override
            public synchronized String generateTraceId() {
                return HexFormat.of().toHexDigits(random.nextLong() | 1) + HexFormat.of().toHexDigits(random.nextLong());
            }
        };
    }

    private static String micro(long microUsd) {
        return BigDecimal.valueOf(microUsd, 6).toPlainString();
    }

    private static Map<String, Object> model(List<Map<String, Object>> models, String name) {
        return models.stream().filter(m -> name.equals(m.get("model"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> user(List<Map<String, Object>> users, String name) {
        return users.stream().filter(u -> name.equals(u.get("user"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + users));
    }

    /** Per-user figures come from rollups drained after the write: wait (bounded) until every user is there. */
    private static List<Map<String, Object>> awaitUsers(String tenant, int expected) {
        List<Map<String, Object>> users = List.of();
        for (int attempt = 0; attempt < 120; attempt++) {
            users = Llm.query(suite, tenant).get("/api/v1/users/activity").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            if (users.size() >= expected) {
                return users;
            }
            Suite.sleep(500);
        }
        return users;
    }
}
