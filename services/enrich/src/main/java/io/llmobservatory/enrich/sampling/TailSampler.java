package io.llmobservatory.enrich.sampling;

import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tail sampling: holds each trace's spans for {@code decisionWait} after its first span, then evaluates the policies
 * once on the whole trace (kept when any policy samples it) and stores the kept spans. At most {@code maxTraces} are
 * held: beyond that the oldest are decided early (and counted), never dropped unseen. Late spans of a decided trace
 * follow its remembered decision.
 * <p>
 * The trade-off, documented in ARCHITECTURE.md: spans in this buffer have been acknowledged to the client before they
 * are stored (LLM-call facts are stored at once, always). A crash loses the buffered spans; shutdown decides and
 * stores them all.
 */
public final class TailSampler implements SpanSampler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TailSampler.class);
    private static final int STORE_ATTEMPTS = 10;

    /** Stores decided spans; completes when they are committed. */
    public interface SpanStore {
        Uni<Void> store(String tenant, List<SpanRecord> spans);
    }

    private record Pending(String tenant, TraceGroup trace, long firstSeenNanos) {
    }

    private record Decided(String tenant, List<SpanRecord> spans, int attempt) {
    }

    private final List<SamplingPolicy> policies;
    private final long waitNanos;
    private final int maxTraces;
    private final int decisionCacheSize;
    private final SpanStore store;
    /** Insertion-ordered: the first entry is the oldest trace. Guarded by {@code this}. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private final LinkedHashMap<String, Boolean> decisions;
    private final List<Decided> retries = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private final Counter sampled;
    private final Counter notSampled;
    private final Counter earlyDecisions;
    private final Counter lostSpans;

    public TailSampler(List<SamplingPolicy> policies, Duration decisionWait, int maxTraces, int decisionCacheSize,
                       SpanStore store, MeterRegistry registry, boolean startTicker) {
        if (decisionWait.isNegative() || decisionWait.isZero()) {
            throw new IllegalArgumentException("observatory.enrich.sampling.tail.decision-wait must be > 0");
        }
        if (maxTraces <= 0) {
            throw new IllegalArgumentException("observatory.enrich.sampling.tail.num-traces must be > 0");
        }
        this.policies = List.copyOf(policies);
        this.waitNanos = decisionWait.toNanos();
        this.maxTraces = maxTraces;
        this.decisionCacheSize = decisionCacheSize;
        this.store = store;
        this.decisions = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > TailSampler.this.decisionCacheSize;
            }
        };
        this.sampled = PrioritySampler.decisions(registry, "sampled");
        this.notSampled = PrioritySampler.decisions(registry, "not_sampled");
        this.earlyDecisions = Counter.builder("observatory.enrich.sampling.early.decisions")
                .description("Traces decided before their decision wait because the tail buffer was full").register(registry);
        this.lostSpans = Counter.builder("observatory.enrich.sampling.lost.spans")
                .description("Acknowledged spans of kept traces that could not be stored after retries").register(registry);
        Gauge.builder("observatory.enrich.sampling.buffered.traces", this, TailSampler::buffered)
                .description("Traces held by tail sampling").register(registry);
        if (startTicker) {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tail-sampling");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            this.ticker = null;
        }
    }

    synchronized int buffered() {
        return pending.size();
    }

    @Override
    public List<SpanRecord> sample(String tenant, List<SpanRecord> spans, Map<String, BigDecimal> costs) {
        List<SpanRecord> now = new ArrayList<>();
        List<Decided> early = new ArrayList<>();
        synchronized (this) {
            long t = System.nanoTime();
            for (TraceGroup group : TraceGroup.of(spans, costs)) {
                String key = tenant + '/' + group.traceId();
                Boolean decided = decisions.get(key);
                if (decided != null) {
                    if (decided) {
                        now.addAll(group.spans());
                    }
                    continue;
                }
                Pending p = pending.get(key);
                if (p == null) {
                    pending.put(key, new Pending(tenant, group, t));
                } else {
                    p.trace().addAll(group);
                }
            }
            while (pending.size() > maxTraces) {
                Map.Entry<String, Pending> oldest = pending.entrySet().iterator().next();
                pending.remove(oldest.getKey());
                earlyDecisions.increment();
                Decided d = decide(oldest.getKey(), oldest.getValue());
                if (d != null) {
                    early.add(d);
                }
            }
        }
        early.forEach(this::write);
        return now;
    }

    /** Decides every trace whose wait is over (called by the ticker; tests call it directly). */
    public void tick() {
        tick(System.nanoTime());
    }

    void tick(long nowNanos) {
        List<Decided> ready = new ArrayList<>();
        synchronized (this) {
            var it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Pending> e = it.next();
                if (nowNanos - e.getValue().firstSeenNanos() < waitNanos) {
                    break; // insertion order: every later trace is younger
                }
                it.remove();
                Decided d = decide(e.getKey(), e.getValue());
                if (d != null) {
                    ready.add(d);
                }
            }
            ready.addAll(retries);
            retries.clear();
        }
        ready.forEach(this::write);
    }

    /** Decides and stores everything held, waiting for the writes (shutdown). */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        List<Decided> all = new ArrayList<>();
        synchronized (this) {
            pending.forEach((key, p) -> {
                Decided d = decide(key, p);
                if (d != null) {
                    all.add(d);
                }
            });
            pending.clear();
            all.addAll(retries);
            retries.clear();
        }
        for (Decided d : all) {
            try {
                store.store(d.tenant(), d.spans()).await().atMost(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                lostSpans.increment(d.spans().size());
                LOG.errorf("lost %d sampled spans of tenant %s at shutdown: %s", d.spans().size(), d.tenant(), e.getMessage());
            }
        }
    }

    /** Must hold the lock. Returns the spans to store, or null when the trace is not sampled. */
    private Decided decide(String key, Pending p) {
        boolean keep = false;
        for (SamplingPolicy policy : policies) {
            if (policy.evaluate(p.trace()) == Decision.SAMPLE) {
                keep = true;
                break;
            }
        }
        decisions.put(key, keep);
        if (keep) {
            sampled.increment();
            return new Decided(p.tenant(), p.trace().spans(), 0);
        }
        notSampled.increment();
        return null;
    }

    private void write(Decided d) {
        store.store(d.tenant(), d.spans()).subscribe().with(ok -> { }, failure -> {
            if (d.attempt() + 1 >= STORE_ATTEMPTS) {
                lostSpans.increment(d.spans().size());
                LOG.errorf("lost %d sampled spans of tenant %s after %d attempts: %s", d.spans().size(), d.tenant(),
                        STORE_ATTEMPTS, failure.getMessage());
            } else {
                synchronized (this) {
                    retries.add(new Decided(d.tenant(), d.spans(), d.attempt() + 1));
                }
            }
        });
    }
}
