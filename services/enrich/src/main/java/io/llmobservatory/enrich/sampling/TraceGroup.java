package io.llmobservatory.enrich.sampling;

import io.llmobservatory.shared.model.SpanRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of one trace seen so far, with what sampling decides on: whether any span failed, how long the trace
 * took (first start to last end), and what its LLM calls cost.
 */
public final class TraceGroup {
    private final String traceId;
    private final List<SpanRecord> spans = new ArrayList<>();
    private BigDecimal cost = BigDecimal.ZERO;
    private boolean error;
    private long minStart = Long.MAX_VALUE;
    private long maxEnd = Long.MIN_VALUE;

    public TraceGroup(String traceId) {
        this.traceId = traceId;
    }

    /** Groups a batch's spans by trace, in order of first appearance; {@code costs} by span id. */
    public static List<TraceGroup> of(List<SpanRecord> spans, Map<String, BigDecimal> costs) {
        Map<String, TraceGroup> groups = new LinkedHashMap<>();
        for (SpanRecord span : spans) {
            groups.computeIfAbsent(span.traceId(), TraceGroup::new).add(span, costs.get(span.spanId()));
        }
        return List.copyOf(groups.values());
    }

    public void add(SpanRecord span, BigDecimal spanCost) {
        spans.add(span);
        if (spanCost != null) {
            cost = cost.add(spanCost);
        }
        error |= span.statusCode() == SpanRecord.STATUS_ERROR;
        minStart = Math.min(minStart, span.startTimeUnixNano());
        maxEnd = Math.max(maxEnd, span.endTimeUnixNano());
    }

    public void addAll(TraceGroup other) {
        spans.addAll(other.spans);
        cost = cost.add(other.cost);
        error |= other.error;
        minStart = Math.min(minStart, other.minStart);
        maxEnd = Math.max(maxEnd, other.maxEnd);
    }

    public String traceId() {
        return traceId;
    }

    public List<SpanRecord> spans() {
        return spans;
    }

    public BigDecimal cost() {
        return cost;
    }

    public boolean hasError() {
        return error;
    }

    public long durationNanos() {
        return spans.isEmpty() ? 0 : maxEnd - minStart;
    }

    /** A number in [0, 1) derived from the trace id alone: every replica and batch agrees on it. */
    public double hash() {
        return TraceIdHash.of(traceId);
    }
}
