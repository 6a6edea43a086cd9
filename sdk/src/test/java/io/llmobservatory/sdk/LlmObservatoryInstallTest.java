package io.llmobservatory.sdk;

import com.sun.net.httpserver.HttpServer;
import io.llmobservatory.sdk.context.EndUser;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code LlmObservatory.install(...)} through OpenTelemetry autoconfigure against a stand-in OTLP/HTTP receiver:
 * the API key travels as the header, spans carry the user, the priority sampler sits in front of the exporter.
 */
class LlmObservatoryInstallTest {
    private HttpServer receiver;
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        GlobalOpenTelemetry.resetForTest();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            authorization.add(exchange.getRequestHeaders().getFirst("Authorization"));
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        GlobalOpenTelemetry.resetForTest();
    }

    private Map<String, String> properties(String sampling) {
        return Map.of("otel.service.name", "install-test",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.getAddress().getPort(),
                "otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                "observatory.api-key", "obs_test_key",
                "observatory.sampling.enabled", sampling,
                "observatory.sampling.base-rate", "0");
    }

    @Test
    void exportsWithTheApiKeyAndTheUserFromBaggage() {
        try (LlmObservatory observatory = LlmObservatory.install(properties("false"))) {
            assertThat(observatory.samplingStats()).isEmpty();
            try (Scope user = EndUser.set("alice", "s-9")) {
                observatory.llm().call(LlmRequest.chat("openai", "gpt-4o").build(), () -> "ok",
                        r -> LlmResponse.builder().inputTokens(10L).outputTokens(2L).build());
            }
            observatory.flush();
        }
        assertThat(authorization).isNotEmpty().allMatch("Bearer obs_test_key"::equals);
        String body = new String(bodies.get(0), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("chat gpt-4o", "user.id", "alice", "session.id", "s-9", "install-test");
    }

    @Test
    void withSamplingOnOrdinaryTracesAreDroppedAndErrorTracesKept() {
        try (LlmObservatory observatory = LlmObservatory.install(properties("true"))) {
            LlmInstrumentation llm = observatory.llm();
            llm.call(LlmRequest.chat("openai", "ordinary-model").build(), () -> "ok", r -> LlmResponse.builder().build());
            try {
                llm.call(LlmRequest.chat("openai", "failing-model").build(), () -> {
                    throw new IOException("boom");
                }, r -> LlmResponse.builder().build());
            } catch (IOException expected) {
                // recorded on the span
            }
            observatory.flush();
            assertThat(observatory.samplingStats()).hasValueSatisfying(s -> {
                assertThat(s.keptError()).isEqualTo(1);
                assertThat(s.dropped()).isEqualTo(1);
            });
        }
        String all = bodies.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).reduce("", String::concat);
        assertThat(all).contains("chat failing-model", "java.io.IOException").doesNotContain("ordinary-model");
    }
}
