package io.llmobservatory.ingest.receiver;

import io.llmobservatory.ingest.exporter.EnrichClient;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** The three OTLP signals, wired to their validators and to enrich. */
@ApplicationScoped
public class Signals {
    private final Signal<ExportTraceServiceRequest, ExportTraceServiceResponse> traces;
    private final Signal<ExportMetricsServiceRequest, ExportMetricsServiceResponse> metrics;
    private final Signal<ExportLogsServiceRequest, ExportLogsServiceResponse> logs;

    public Signals(TraceValidator traceValidator, SpanLimiter spanLimits, MetricsValidator metricsValidator,
                   LogsValidator logsValidator, EnrichClient enrich) {
        // Valid spans are then held to the span limits (truncated, not rejected).
        Validator<ExportTraceServiceRequest> spans = request -> spanLimits.limit(traceValidator.validate(request));
        this.traces = new Signal<>("traces", "spans", "ExportTraceServiceRequest", ExportTraceServiceRequest.parser(),
                ExportTraceServiceRequest::newBuilder, spans,
                (tenant, batch) -> enrich.consumeTraces(tenant, batch).map(r -> r.getRejectedSpans() == 0 ? Signal.Refused.NONE
                        : new Signal.Refused(r.getRejectedSpans(), r.getErrorMessage())),
                (rejected, message) -> rejected == 0 ? ExportTraceServiceResponse.getDefaultInstance()
                        : ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                                .setRejectedSpans(rejected).setErrorMessage(message)).build());
        this.metrics = new Signal<>("metrics", "metric_points", "ExportMetricsServiceRequest",
                ExportMetricsServiceRequest.parser(), ExportMetricsServiceRequest::newBuilder, metricsValidator,
                (tenant, batch) -> enrich.consumeMetrics(tenant, batch).replaceWith(Signal.Refused.NONE),
                (rejected, message) -> rejected == 0 ? ExportMetricsServiceResponse.getDefaultInstance()
                        : ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                                .setRejectedDataPoints(rejected).setErrorMessage(message)).build());
        this.logs = new Signal<>("logs", "log_records", "ExportLogsServiceRequest", ExportLogsServiceRequest.parser(),
                ExportLogsServiceRequest::newBuilder, logsValidator,
                (tenant, batch) -> enrich.consumeLogs(tenant, batch).replaceWith(Signal.Refused.NONE),
                (rejected, message) -> rejected == 0 ? ExportLogsServiceResponse.getDefaultInstance()
                        : ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                                .setRejectedLogRecords(rejected).setErrorMessage(message)).build());
    }

    public Signal<ExportTraceServiceRequest, ExportTraceServiceResponse> traces() {
        return traces;
    }

    public Signal<ExportMetricsServiceRequest, ExportMetricsServiceResponse> metrics() {
        return metrics;
    }

    public Signal<ExportLogsServiceRequest, ExportLogsServiceResponse> logs() {
        return logs;
    }
}
