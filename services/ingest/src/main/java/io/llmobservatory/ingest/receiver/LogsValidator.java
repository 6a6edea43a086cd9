package io.llmobservatory.ingest.receiver;

import io.llmobservatory.shared.otlp.OtlpIds;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks log records against the OTLP data model; counts and names what it rejects. */
@ApplicationScoped
public class LogsValidator implements Validator<ExportLogsServiceRequest> {

    @Override
    public ValidatedBatch<ExportLogsServiceRequest> validate(ExportLogsServiceRequest request) {
        int total = 0;
        int rejected = 0;
        String first = null;
        for (int r = 0; r < request.getResourceLogsCount(); r++) {
            ResourceLogs rl = request.getResourceLogs(r);
            for (int s = 0; s < rl.getScopeLogsCount(); s++) {
                ScopeLogs sl = rl.getScopeLogs(s);
                for (int i = 0; i < sl.getLogRecordsCount(); i++) {
                    total++;
                    String problem = problem(sl.getLogRecords(i));
                    if (problem != null) {
                        rejected++;
                        if (first == null) {
                            first = "resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]: " + problem;
                        }
                    }
                }
            }
        }
        if (rejected == 0) {
            return new ValidatedBatch<>(request, total, 0, null);
        }
        ExportLogsServiceRequest.Builder kept = ExportLogsServiceRequest.newBuilder();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            ResourceLogs.Builder keptResource = rl.toBuilder().clearScopeLogs();
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                ScopeLogs.Builder keptScope = sl.toBuilder().clearLogRecords();
                sl.getLogRecordsList().stream().filter(l -> problem(l) == null).forEach(keptScope::addLogRecords);
                if (keptScope.getLogRecordsCount() > 0) {
                    keptResource.addScopeLogs(keptScope);
                }
            }
            if (keptResource.getScopeLogsCount() > 0) {
                kept.addResourceLogs(keptResource);
            }
        }
        return new ValidatedBatch<>(kept.build(), total - rejected, rejected, first);
    }

    static String problem(LogRecord r) {
        if (!r.getTraceId().isEmpty() && !OtlpIds.isValidTraceId(r.getTraceId())) {
            return "trace_id must be empty or 16 bytes, not all zeros";
        }
        if (!r.getSpanId().isEmpty() && !OtlpIds.isValidSpanId(r.getSpanId())) {
            return "span_id must be empty or 8 bytes, not all zeros";
        }
        if (!r.getSpanId().isEmpty() && r.getTraceId().isEmpty()) {
            return "span_id is set without a trace_id";
        }
        if (r.getSeverityNumberValue() < 0 || r.getSeverityNumberValue() > 24) {
            return "severity_number " + r.getSeverityNumberValue() + " is outside 0..24";
        }
        if (r.getTimeUnixNano() < 0 || r.getObservedTimeUnixNano() < 0) {
            return "time_unix_nano is out of range";
        }
        return null;
    }
}
