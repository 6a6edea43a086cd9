package io.llmobservatory.ingest.receiver;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * A request split by validation: the spans to keep, how many were rejected and why the first one was.
 */
public record ValidatedBatch(ExportTraceServiceRequest accepted, int acceptedSpans, int rejectedSpans,
                             String firstProblem) {
}
