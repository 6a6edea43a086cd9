package io.llmobservatory.query.model;

import java.util.List;

/**
 * Answer of {@code GET /api/v1/traces/{traceId}}: the trace's spans in start order, and the log records linked to it
 * (GenAI events carried as logs, application logs with the trace context), each naming its span.
 */
public record TraceView(String traceId, int spanCount, List<SpanView> spans, List<LogView> logs) {
}
