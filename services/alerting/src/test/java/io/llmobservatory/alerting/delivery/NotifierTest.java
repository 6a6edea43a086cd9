package io.llmobservatory.alerting.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.llmobservatory.alerting.config.AlertingConfig;
import io.llmobservatory.alerting.eval.Notification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery to a real HTTP endpoint: payload shapes, retries with backoff, failures counted, never blocking. */
class NotifierTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    NotifierTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failFirst.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                received.add(exchange.getRequestURI().getPath() + " " + new String(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Notifier notifier(boolean alertmanager, int maxAttempts) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        AlertingConfig.Delivery delivery = new AlertingConfig.Delivery() {
            public Optional<String> alertmanagerUrl() {
                return alertmanager ? Optional.of(base + "/") : Optional.empty();
            }

            public Optional<List<String>> webhooks() {
                return alertmanager ? Optional.empty() : Optional.of(List.of(base + "/hook"));
            }

            public Duration resendInterval() {
                return Duration.ofMinutes(1);
            }

            public int maxAttempts() {
                return maxAttempts;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(20);
            }

            public int queueCapacity() {
                return 100;
            }
        };
        AlertingConfig config = new AlertingConfig() {
            public Optional<String> rulesFile() {
                return Optional.empty();
            }

            public Duration evaluationInterval() {
                return Duration.ofSeconds(1);
            }

            public List<String> scrapeTargets() {
                return List.of();
            }

            public boolean evaluateHealthRules() {
                return false;
            }

            public Delivery delivery() {
                return delivery;
            }

            public Query query() {
                return null;
            }
        };
        return new Notifier(config, registry);
    }

    private static final List<Notification> ALERTS = List.of(
            new Notification("Budget", Map.of("alertname", "Budget", "tenant", "acme"), Map.of("summary", "over"), true,
                    T0, T0.plusSeconds(240), 12.5),
            new Notification("Budget", Map.of("alertname", "Budget", "tenant", "beta"), Map.of("summary", "over"), false,
                    T0, T0.plusSeconds(60), 3));

    private void awaitCount(String counter, double n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var c = registry.find(counter).counter();
            if (c != null && c.count() >= n) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(counter + " did not reach " + n);
    }

    @Test
    void alertmanagerGetsPostableAlertsAfterRetries() throws Exception {
        failFirst.set(2);
        notifier(true, 5).send(ALERTS);
        awaitCount("observatory.alerting.notifications.sent", 1);
        assertThat(registry.find("observatory.alerting.notifications.retried").counter().count()).isEqualTo(2);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r).startsWith("/api/v2/alerts ");
            JsonNode body = new ObjectMapper().readTree(r.substring(r.indexOf(' ') + 1));
            assertThat(body).hasSize(2);
            assertThat(body.get(0).get("labels").get("tenant").asText()).isEqualTo("acme");
            assertThat(body.get(0).get("endsAt").asText()).isEqualTo("2026-11-27T10:04:00Z");
            assertThat(body.get(1).get("endsAt").asText()).as("resolved: endsAt is the resolve time")
                    .isEqualTo("2026-11-27T10:01:00Z");
        });
    }

    @Test
    void webhooksGetAlertmanagersPayloadVersion4PerRuleAndStatus() throws Exception {
        notifier(false, 5).send(ALERTS);
        awaitCount("observatory.alerting.notifications.sent", 2);
        List<JsonNode> bodies = received.stream().map(r -> {
            try {
                return new ObjectMapper().readTree(r.substring(r.indexOf(' ') + 1));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(bodies).extracting(b -> b.get("status").asText()).containsExactlyInAnyOrder("firing", "resolved");
        assertThat(bodies).allSatisfy(b -> {
            assertThat(b.get("version").asText()).isEqualTo("4");
            assertThat(b.get("groupLabels").get("alertname").asText()).isEqualTo("Budget");
            assertThat(b.get("alerts")).hasSize(1);
            assertThat(b.get("alerts").get(0).get("fingerprint").asText()).hasSize(16);
        });
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void sendOnlyEnqueuesEvenWhileTheReceiverHangs() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.removeContext("/");
        server.createContext("/", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add("late");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        notifier(true, 1).send(ALERTS); // returns although the receiver has not answered
        assertThat(received).isEmpty();
        release.countDown();
        awaitCount("observatory.alerting.notifications.sent", 1);
        assertThat(received).containsExactly("late");
    }

    @Test
    void aDeliveryThatKeepsFailingIsCountedAndDropped() throws Exception {
        failFirst.set(100);
        notifier(true, 3).send(ALERTS);
        awaitCount("observatory.alerting.notifications.failed", 1);
        assertThat(registry.find("observatory.alerting.notifications.retried").counter().count()).isEqualTo(2);
        assertThat(received).isEmpty();
    }
}
