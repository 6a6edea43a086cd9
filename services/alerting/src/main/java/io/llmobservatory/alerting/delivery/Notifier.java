package io.llmobservatory.alerting.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.alerting.config.AlertingConfig;
import io.llmobservatory.alerting.eval.Notification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers notifications to Alertmanager ({@code POST /api/v2/alerts}) and to generic webhooks (Alertmanager's
 * webhook payload, version 4), off the evaluation thread: {@link #send} only enqueues. A failed delivery is retried
 * with exponential backoff up to {@code max-attempts}, then counted as failed; when more than
 * {@code queue-capacity} deliveries wait, new ones are refused and counted as dropped. Evaluation never waits.
 */
@ApplicationScoped
public class Notifier {
    private static final Logger LOG = Logger.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertingConfig.Delivery config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-delivery");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger waiting = new AtomicInteger();
    private final MeterRegistry registry;

    public Notifier(AlertingConfig config, MeterRegistry registry) {
        this.config = config.delivery();
        this.registry = registry;
        Gauge.builder("observatory.alerting.notifications.queued", waiting, AtomicInteger::get)
                .description("Deliveries waiting to be sent or retried").register(registry);
    }

    /** Enqueues the notifications for every configured target; never blocks. */
    public void send(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        config.alertmanagerUrl().ifPresent(url -> enqueue("alertmanager", url.replaceAll("/+$", "") + "/api/v2/alerts",
                Payloads.alertmanager(notifications, "http://observatory-alerting/api/v1/alerts")));
        config.webhooks().ifPresent(hooks -> {
            Map<String, List<Notification>> groups = new LinkedHashMap<>();
            notifications.forEach(n -> groups.computeIfAbsent(n.rule() + "\u0000" + n.firing(), k -> new ArrayList<>()).add(n));
            groups.values().forEach(group -> hooks.forEach(hook -> enqueue("webhook", hook,
                    Payloads.webhook(group.get(0).rule(), group.get(0).firing(), group,
                            "http://observatory-alerting/api/v1/alerts"))));
        });
    }

    private void enqueue(String target, String url, Object payload) {
        if (waiting.get() >= config.queueCapacity()) {
            counter("observatory.alerting.notifications.dropped", target).increment();
            LOG.warnf("alert delivery queue full (%d): dropped a notification for %s", config.queueCapacity(), url);
            return;
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        waiting.incrementAndGet();
        executor.execute(() -> attempt(target, url, body, 1));
    }

    private void attempt(String target, String url, byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            boolean ok = failure == null && response.statusCode() / 100 == 2;
            if (ok) {
                waiting.decrementAndGet();
                counter("observatory.alerting.notifications.sent", target).increment();
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode() + " " + response.body();
            if (attempt >= config.maxAttempts()) {
                waiting.decrementAndGet();
                counter("observatory.alerting.notifications.failed", target).increment();
                LOG.warnf("alert delivery to %s failed %d times, giving up: %s", url, attempt, why);
                return;
            }
            counter("observatory.alerting.notifications.retried", target).increment();
            long delay = config.initialBackoff().toMillis() << Math.min(attempt - 1, 10);
            executor.schedule(() -> attempt(target, url, body, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }

    private Counter counter(String name, String target) {
        return Counter.builder(name).tag("target", target).register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdown();
    }
}
