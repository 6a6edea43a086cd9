package io.llmobservatory.sdk.sampling;

import io.llmobservatory.sdk.GenAiAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The reference design's priority sampler, decided when a trace ends rather than when it starts, because errors and
 * slow LLM calls are only known then. Ended spans are held per trace until the trace's local root span ends; the
 * trace is then kept when it has an error span (at {@code errorRate}), an LLM span slower than the threshold, or a
 * trace-id hash below {@code baseRate} (the suite's hash: consistent across services). Kept spans go on to the
 * wrapped processor (the batch processor), dropped ones are counted. Bounded: the buffer holds at most
 * {@code maxBufferedSpans}; beyond that, and for traces older than {@code maxTraceAge}, the oldest trace is decided
 * with what is known. Spans ending after their trace was decided follow that decision. Never blocks or throws.
 */
public final class PrioritySamplingSpanProcessor implements SpanProcessor {
    private static final AttributeKey<String> DECISION = AttributeKey.stringKey("decision");
    private static final int REMEMBERED_DECISIONS = 16_384;

    private final SpanProcessor next;
    private final double baseRate;
    private final double errorRate;
    private final long slowNanos;
    private final int maxBuffered;
    private final long maxAgeNanos;
    private final LongSupplier clock;

    private final Object lock = new Object();
    /** Undecided traces, oldest first. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /** Recent decisions, for spans that end after their trace's root (async work). */
    private final LinkedHashMap<String, Boolean> decided = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DECISIONS;
        }
    };
    private int buffered;

    private final LongAdder keptError = new LongAdder();
    private final LongAdder keptSlow = new LongAdder();
    private final LongAdder keptBase = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder spansKept = new LongAdder();
    private final LongAdder spansDropped = new LongAdder();
    private final LongAdder decidedEarly = new LongAdder();

    private PrioritySamplingSpanProcessor(SpanProcessor next, PrioritySamplingConfig config, LongSupplier clock) {
        this.next = next;
        this.baseRate = config.baseRate();
        this.errorRate = config.errorRate();
        this.slowNanos = config.slowThreshold().toNanos();
        this.maxBuffered = config.maxBufferedSpans();
        this.maxAgeNanos = config.maxTraceAge().toNanos();
        this.clock = clock;
    }

    /** Samples what reaches {@code next} (usually the batch span processor). */
    public static PrioritySamplingSpanProcessor create(SpanProcessor next, PrioritySamplingConfig config) {
        return new PrioritySamplingSpanProcessor(next, config, System::nanoTime);
    }

    static PrioritySamplingSpanProcessor create(SpanProcessor next, PrioritySamplingConfig config, LongSupplier clock) {
        return new PrioritySamplingSpanProcessor(next, config, clock);
    }

    private static final class Pending {
        final List<ReadableSpan> spans = new ArrayList<>(4);
        final long since;
        boolean error;
        boolean slow;

        Pending(long since) {
            this.since = since;
        }
    }

    private enum Decision { KEPT_ERROR, KEPT_SLOW, KEPT_BASE, DROPPED }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (next.isStartRequired()) {
            next.onStart(parentContext, span);
        }
    }

    @Override
    public boolean isStartRequired() {
        return next.isStartRequired();
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        String traceId = span.getSpanContext().getTraceId();
        boolean error = span.toSpanData().getStatus().getStatusCode() == StatusCode.ERROR;
        boolean slow = span.getLatencyNanos() >= slowNanos && span.getAttribute(GenAiAttributes.OPERATION_NAME) != null;
        SpanContext parent = span.getParentSpanContext();
        boolean localRoot = !parent.isValid() || parent.isRemote();
        List<ReadableSpan> forward = null;
        synchronized (lock) {
            Boolean earlier = decided.get(traceId);
            if (earlier != null) {
                if (earlier) {
                    forward = List.of(span);
                } else {
                    spansDropped.increment();
                }
            } else {
                long now = clock.getAsLong();
                Pending p = pending.get(traceId);
                if (p == null) {
                    p = new Pending(now);
                    pending.put(traceId, p);
                }
                p.spans.add(span);
                p.error |= error;
                p.slow |= slow;
                buffered++;
                if (localRoot) {
                    pending.remove(traceId);
                    forward = decide(traceId, p, null);
                }
                forward = evict(now, forward);
            }
        }
        if (forward != null) {
            for (ReadableSpan s : forward) {
                next.onEnd(s);
            }
        }
    }

    /** Decides the oldest traces while the buffer is over its bound or they are over their age. Holds the lock. */
    private List<ReadableSpan> evict(long now, List<ReadableSpan> forward) {
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Pending> oldest = it.next();
            if (buffered <= maxBuffered && now - oldest.getValue().since < maxAgeNanos) {
                break;
            }
            it.remove();
            decidedEarly.increment();
            forward = decide(oldest.getKey(), oldest.getValue(), forward);
        }
        return forward;
    }

    /** Records the decision for the trace; returns {@code forward} plus its spans when kept. Holds the lock. */
    private List<ReadableSpan> decide(String traceId, Pending p, List<ReadableSpan> forward) {
        buffered -= p.spans.size();
        Decision d = decision(traceId, p.error, p.slow);
        boolean keep = d != Decision.DROPPED;
        decided.put(traceId, keep);
        switch (d) {
            case KEPT_ERROR -> keptError.increment();
            case KEPT_SLOW -> keptSlow.increment();
            case KEPT_BASE -> keptBase.increment();
            case DROPPED -> dropped.increment();
        }
        if (!keep) {
            spansDropped.add(p.spans.size());
            return forward;
        }
        spansKept.add(p.spans.size());
        if (forward == null) {
            return p.spans;
        }
        List<ReadableSpan> all = new ArrayList<>(forward);
        all.addAll(p.spans);
        return all;
    }

    private Decision decision(String traceId, boolean error, boolean slow) {
        double h = TraceIdHash.of(traceId);
        if (error) {
            return h < errorRate ? Decision.KEPT_ERROR : Decision.DROPPED;
        }
        if (slow) {
            return Decision.KEPT_SLOW;
        }
        return h < baseRate ? Decision.KEPT_BASE : Decision.DROPPED;
    }

    /** Decides every held trace with what is known (an ended trace is not waited for). */
    private void decideAll() {
        List<ReadableSpan> forward = null;
        synchronized (lock) {
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                decidedEarly.increment();
                forward = decide(e.getKey(), e.getValue(), forward);
            }
            pending.clear();
        }
        if (forward != null) {
            forward.forEach(next::onEnd);
        }
    }

    /** Decides every held trace, then flushes the wrapped processor. */
    @Override
    public CompletableResultCode forceFlush() {
        decideAll();
        return next.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
        decideAll();
        return next.shutdown();
    }

    public SamplingStats stats() {
        int held;
        synchronized (lock) {
            held = buffered;
        }
        return new SamplingStats(keptError.sum(), keptSlow.sum(), keptBase.sum(), dropped.sum(), spansKept.sum(),
                spansDropped.sum(), decidedEarly.sum(), held);
    }

    /**
     * Publishes the counters: {@code observatory.sdk.sampling.traces{decision}} (kept_error, kept_slow, kept_base,
     * dropped), {@code observatory.sdk.sampling.spans{decision}} (kept, dropped) and
     * {@code observatory.sdk.sampling.buffered_spans}.
     */
    public void registerMetrics(Meter meter) {
        meter.counterBuilder("observatory.sdk.sampling.traces").setDescription("Priority sampler decisions per trace")
                .setUnit("{trace}").buildWithCallback(m -> {
                    m.record(keptError.sum(), Attributes.of(DECISION, "kept_error"));
                    m.record(keptSlow.sum(), Attributes.of(DECISION, "kept_slow"));
                    m.record(keptBase.sum(), Attributes.of(DECISION, "kept_base"));
                    m.record(dropped.sum(), Attributes.of(DECISION, "dropped"));
                });
        meter.counterBuilder("observatory.sdk.sampling.spans").setDescription("Spans kept and dropped by the priority sampler")
                .setUnit("{span}").buildWithCallback(m -> {
                    m.record(spansKept.sum(), Attributes.of(DECISION, "kept"));
                    m.record(spansDropped.sum(), Attributes.of(DECISION, "dropped"));
                });
        meter.gaugeBuilder("observatory.sdk.sampling.buffered_spans").ofLongs().setUnit("{span}")
                .setDescription("Spans held while their traces are undecided")
                .buildWithCallback(m -> m.record(stats().buffered()));
    }
}
