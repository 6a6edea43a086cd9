package io.llmobservatory.query.model;

import java.util.List;

/**
 * Answer of {@code GET /api/v1/traces/{traceId}}: the trace's spans in start order, and the log records linked to it
 * (GenAI events carried as logs, application logs with the trace context), each naming its span. When the log store
 * could not be read, {@code logsUnavailable} is true, {@code logs} is empty and {@code warnings} says why: the spans
 * are answered all the same.
 */
public record TraceView(String traceId, int spanCount, List<SpanView> spans, List<LogView> logs,
                        boolean logsUnavailable, List<String> warnings) {
}
