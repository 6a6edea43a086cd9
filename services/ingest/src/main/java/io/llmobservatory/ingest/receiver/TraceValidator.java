package io.llmobservatory.ingest.receiver;

import io.llmobservatory.shared.otlp.OtlpIds;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks every span against the OTLP data model. Invalid spans are removed from the batch (and counted);
 * the rest is kept untouched. A batch with no invalid span is passed on as the same object.
 */
@ApplicationScoped
public class TraceValidator implements Validator<ExportTraceServiceRequest> {
    private static final int MAX_KIND = Span.SpanKind.SPAN_KIND_CONSUMER_VALUE;
    private static final int MAX_STATUS = io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR_VALUE;

    @Override
    public ValidatedBatch<ExportTraceServiceRequest> validate(ExportTraceServiceRequest request) {
        int total = 0;
        int rejected = 0;
        String first = null;
        ExportTraceServiceRequest.Builder kept = null;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans rs = request.getResourceSpans(r);
            ResourceSpans.Builder keptResource = null;
            for (int s = 0; s < rs.getScopeSpansCount(); s++) {
                ScopeSpans ss = rs.getScopeSpans(s);
                ScopeSpans.Builder keptScope = null;
                for (int i = 0; i < ss.getSpansCount(); i++) {
                    Span span = ss.getSpans(i);
                    total++;
                    String problem = problem(span);
                    if (problem != null) {
                        rejected++;
                        if (first == null) {
                            first = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]"
                                    + (span.getName().isEmpty() ? "" : " \"" + span.getName() + "\"") + ": " + problem;
                        }
                        if (keptScope == null) {
                            keptScope = ss.toBuilder().clearSpans();
                            for (int j = 0; j < i; j++) {
                                keptScope.addSpans(ss.getSpans(j));
                            }
                        }
                    } else if (keptScope != null) {
                        keptScope.addSpans(span);
                    }
                }
                if (keptScope != null && keptResource == null) {
                    keptResource = rs.toBuilder().clearScopeSpans();
                    for (int j = 0; j < s; j++) {
                        keptResource.addScopeSpans(rs.getScopeSpans(j));
                    }
                }
                if (keptResource != null) {
                    ScopeSpans scope = keptScope != null ? keptScope.build() : ss;
                    if (scope.getSpansCount() > 0) {
                        keptResource.addScopeSpans(scope);
                    }
                }
            }
            if (keptResource != null && kept == null) {
                kept = request.toBuilder().clearResourceSpans();
                for (int j = 0; j < r; j++) {
                    kept.addResourceSpans(request.getResourceSpans(j));
                }
            }
            if (kept != null) {
                ResourceSpans resource = keptResource != null ? keptResource.build() : rs;
                if (resource.getScopeSpansCount() > 0) {
                    kept.addResourceSpans(resource);
                }
            }
        }
        ExportTraceServiceRequest accepted = kept == null ? request : kept.build();
        return new ValidatedBatch<>(accepted, total - rejected, rejected, first);
    }

    /** The first thing wrong with a span, or null when it is valid. */
    static String problem(Span span) {
        if (span.getTraceId().size() != OtlpIds.TRACE_ID_BYTES) {
            return "trace_id must be 16 bytes (32 hex digits), got " + span.getTraceId().size() + " bytes";
        }
        if (!OtlpIds.isValidTraceId(span.getTraceId())) {
            return "trace_id must not be all zeros";
        }
        if (span.getSpanId().size() != OtlpIds.SPAN_ID_BYTES) {
            return "span_id must be 8 bytes (16 hex digits), got " + span.getSpanId().size() + " bytes";
        }
        if (!OtlpIds.isValidSpanId(span.getSpanId())) {
            return "span_id must not be all zeros";
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != OtlpIds.SPAN_ID_BYTES) {
            return "parent_span_id must be empty or 8 bytes, got " + span.getParentSpanId().size() + " bytes";
        }
        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        if (start <= 0) {
            return start == 0 ? "start_time_unix_nano must be set" : "start_time_unix_nano is out of range";
        }
        if (end < 0) {
            return "end_time_unix_nano is out of range";
        }
        if (end < start) {
            return "end_time_unix_nano (" + end + ") is before start_time_unix_nano (" + start + ")";
        }
        if (span.getKindValue() < 0 || span.getKindValue() > MAX_KIND) {
            return "kind " + span.getKindValue() + " is not a SpanKind (0-5)";
        }
        int status = span.getStatus().getCodeValue();
        if (status < 0 || status > MAX_STATUS) {
            return "status.code " + status + " is not a StatusCode (0-2)";
        }
        for (int i = 0; i < span.getLinksCount(); i++) {
            Span.Link link = span.getLinks(i);
            if (!OtlpIds.isValidTraceId(link.getTraceId()) || !OtlpIds.isValidSpanId(link.getSpanId())) {
                return "links[" + i + "] must have a 16-byte trace_id and an 8-byte span_id, not all zeros";
            }
        }
        return null;
    }
}
