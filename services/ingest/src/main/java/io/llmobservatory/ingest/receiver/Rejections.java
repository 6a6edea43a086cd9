package io.llmobservatory.ingest.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests refused as the client's mistake, counted ({@code observatory_ingest_rejected_requests_total{reason,
 * transport}}) and logged at most once per interval and reason with how many were refused since, so no client can
 * fill the log by sending the same bad payload.
 */
@ApplicationScoped
public class Rejections {
    private static final Logger LOG = Logger.getLogger(Rejections.class);
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final MeterRegistry registry;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    @Inject
    public Rejections(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    Rejections(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Counts one refused request; returns whether it was logged (the first of its reason in the interval). */
    public boolean refused(String reason, String transport, String message) {
        Counter.builder("observatory.ingest.rejected.requests")
                .description("Requests refused as invalid (the client's mistake), by reason")
                .tag("reason", reason).tag("transport", transport).register(registry).increment();
        Window w = windows.computeIfAbsent(reason, r -> new Window());
        long now = clock.millis();
        long since = w.suppressed.incrementAndGet();
        long start = w.start.get();
        if (start != Long.MIN_VALUE && now - start < INTERVAL.toMillis()) {
            return false;
        }
        if (!w.start.compareAndSet(start, now)) {
            return false;
        }
        w.suppressed.addAndGet(-since);
        LOG.infof("refused %d request(s) (%s) in the last %s; latest over %s: %s", since, reason,
                start == Long.MIN_VALUE ? "start" : INTERVAL, transport, message);
        return true;
    }

    private static final class Window {
        final AtomicLong start = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }
}
