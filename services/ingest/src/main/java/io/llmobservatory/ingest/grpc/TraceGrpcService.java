package io.llmobservatory.ingest.grpc;

import io.llmobservatory.ingest.receiver.OtlpReceiver;
import io.llmobservatory.ingest.receiver.Signals;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.GrpcService;

/** OTLP/gRPC {@code TraceService/Export}. */
@GrpcService
public class TraceGrpcService extends OtlpGrpcService<ExportTraceServiceRequest, ExportTraceServiceResponse> {
    public TraceGrpcService(Signals signals, OtlpReceiver receiver) {
        super(signals.traces(), receiver, TraceServiceGrpc.getExportMethod(),
                ExportTraceServiceResponse.getDefaultInstance());
    }
}
