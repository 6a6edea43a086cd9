package io.llmobservatory.ingest.grpc;

import io.llmobservatory.ingest.receiver.OtlpReceiver;
import io.llmobservatory.ingest.receiver.Signals;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.quarkus.grpc.GrpcService;

/** OTLP/gRPC {@code MetricsService/Export}. */
@GrpcService
public class MetricsGrpcService extends OtlpGrpcService<ExportMetricsServiceRequest, ExportMetricsServiceResponse> {
    public MetricsGrpcService(Signals signals, OtlpReceiver receiver) {
        super(signals.metrics(), receiver, MetricsServiceGrpc.getExportMethod(),
                ExportMetricsServiceResponse.getDefaultInstance());
    }
}
