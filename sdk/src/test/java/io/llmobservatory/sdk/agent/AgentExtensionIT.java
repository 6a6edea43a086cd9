package io.llmobservatory.sdk.agent;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension jar in the real OpenTelemetry Java agent ({@code -javaagent} + {@code otel.javaagent.extensions}): an
 * application exports to a stand-in OTLP/HTTP receiver with the API key, the priority sampler drops the ordinary
 * trace and keeps the failing one, baggage puts the user on spans, and PII is scrubbed at the source.
 */
class AgentExtensionIT {
    private HttpServer receiver;
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
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
    }

    @Test
    void agentWithTheExtensionSamplesScrubsAndSendsTheKey() throws Exception {
        Path agent = Path.of(System.getProperty("observatory.agent.jar"));
        Path extension = Path.of(System.getProperty("observatory.agent.extension"));
        assertThat(agent).exists();
        assertThat(extension).exists();
        Path log = Files.createTempFile("agent-app", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent, "-Dotel.javaagent.extensions=" + extension,
                "-Dotel.service.name=agent-app",
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + receiver.getAddress().getPort(),
                "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                "-Dobservatory.api-key=obs_agent_key",
                "-Dobservatory.sampling.enabled=true", "-Dobservatory.sampling.base-rate=0",
                "-Dotel.instrumentation.genai.capture-message-content=true",
                "-Dobservatory.pii.enabled=true", "-Dobservatory.pii.hash-key=agent-test-key",
                "-cp", System.getProperty("java.class.path"), AgentApp.class.getName()));
        Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("app exits; log " + log).isTrue();
        String output = Files.readString(log);
        assertThat(app.exitValue()).as(output).isZero();
        assertThat(output).contains("agent-app done");

        assertThat(bodies).as("exports received; app log:\n" + output).isNotEmpty();
        assertThat(authorization).allMatch("Bearer obs_agent_key"::equals);
        String all = bodies.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).reduce("", String::concat);
        assertThat(all).contains("GET /failing", "chat failing-model", "alice", "user.id", "<EMAIL>", "gen_ai.prompt_hash")
                .doesNotContain("alice@example.com")
                .doesNotContain("GET /ordinary").doesNotContain("ordinary-model");
    }
}
