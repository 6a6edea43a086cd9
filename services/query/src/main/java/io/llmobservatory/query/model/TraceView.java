package io.llmobservatory.query.model;

import java.util.List;

/** Answer of {@code GET /api/v1/traces/{traceId}}: the trace's spans in start order. */
public record TraceView(String traceId, int spanCount, List<SpanView> spans) {
}
