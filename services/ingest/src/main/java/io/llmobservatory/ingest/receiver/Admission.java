package io.llmobservatory.ingest.receiver;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.llmobservatory.ingest.config.IngestConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control in front of the pipeline: a per-tenant rate of items per second (a Bucket4j token bucket per
 * tenant holding one second of its rate, so bursts up to a second's worth pass and the average is held to the rate;
 * a batch larger than that takes a full bucket) and a bound on the bytes of requests held at once. Refusals are {@link Throttled} (retryable) and counted in
 * {@code observatory_ingest_throttled_total{reason}}; {@code observatory_ingest_inflight_bytes} shows the load.
 */
@ApplicationScoped
public class Admission {
    private static final Duration OVERLOAD_RETRY = Duration.ofSeconds(1);

    private final long maxInflightBytes;
    private final long defaultRate;
    private final java.util.Map<String, Long> rates;
    private final AtomicLong inflight = new AtomicLong();
    private final LoadingCache<String, Bucket> buckets;
    private final Counter rateLimited;
    private final Counter overloaded;

    @jakarta.inject.Inject
    public Admission(IngestConfig config, MeterRegistry registry) {
        this(config.limits().maxInflightBytes(), config.limits().tenantItemsPerSecond(), config.limits().tenantRates(),
                registry);
    }

    Admission(long maxInflightBytes, long defaultRate, java.util.Map<String, Long> rates, MeterRegistry registry) {
        this.maxInflightBytes = maxInflightBytes;
        this.defaultRate = defaultRate;
        this.rates = rates;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10))
                .build(tenant -> Bucket.builder().addLimit(Bandwidth.builder().capacity(rate(tenant))
                        .refillGreedy(rate(tenant), Duration.ofSeconds(1)).build()).build());
        this.rateLimited = Counter.builder("observatory.ingest.throttled").tag("reason", "tenant_rate")
                .description("Requests refused with a retryable code before any work").register(registry);
        this.overloaded = Counter.builder("observatory.ingest.throttled").tag("reason", "inflight_bytes")
                .description("Requests refused with a retryable code before any work").register(registry);
        Gauge.builder("observatory.ingest.inflight.bytes", inflight, AtomicLong::get)
                .description("Encoded bytes of the requests being validated or stored").baseUnit("bytes").register(registry);
    }

    private long rate(String tenant) {
        return rates.getOrDefault(tenant, defaultRate);
    }

    /** Takes {@code items} from the tenant's rate, or throws {@link Throttled}. */
    public void checkRate(String tenant, int items) {
        long rate = rate(tenant);
        if (rate <= 0 || items == 0) {
            return;
        }
        ConsumptionProbe probe = buckets.get(tenant).tryConsumeAndReturnRemaining(Math.min(items, rate));
        if (!probe.isConsumed()) {
            rateLimited.increment();
            long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
            throw Throttled.rateLimited(tenant, rate, Duration.ofSeconds(Math.min(seconds, 60)));
        }
    }

    /** Reserves {@code bytes} of the in-flight budget (release with {@link #release}), or throws {@link Throttled}. */
    public void reserve(long bytes) {
        long now = inflight.addAndGet(bytes);
        // A single request larger than the whole budget still passes when nothing else is in flight.
        if (now > maxInflightBytes && now != bytes) {
            inflight.addAndGet(-bytes);
            overloaded.increment();
            throw Throttled.overloaded(OVERLOAD_RETRY);
        }
    }

    public void release(long bytes) {
        inflight.addAndGet(-bytes);
    }
}
