package io.llmobservatory.ingest.grpc;

import io.llmobservatory.ingest.receiver.OtlpReceiver;
import io.llmobservatory.ingest.receiver.Signals;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.quarkus.grpc.GrpcService;

/** OTLP/gRPC {@code LogsService/Export}. */
@GrpcService
public class LogsGrpcService extends OtlpGrpcService<ExportLogsServiceRequest, ExportLogsServiceResponse> {
    public LogsGrpcService(Signals signals, OtlpReceiver receiver) {
        super(signals.logs(), receiver, LogsServiceGrpc.getExportMethod(), ExportLogsServiceResponse.getDefaultInstance());
    }
}
