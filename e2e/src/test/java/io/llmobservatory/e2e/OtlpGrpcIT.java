package io.llmobservatory.e2e;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

/** The OTLP/gRPC error contract: partial success, INVALID_ARGUMENT for garbage, RESOURCE_EXHAUSTED over 4 MiB. */
class OtlpGrpcIT {
    private static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
    }

    @Test
    void invalidSpansGetPartialSuccessAndValidOnesAreStored() throws Exception {
        String tenant = Llm.newTenant("grpc-partial");
        String trace = OtlpJson.randomHex(16);
        long t = OtlpJson.nowNanos();
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, tenant)) {
            ExportTraceServiceResponse response = grpc.export(Protos.request("svc", List.of(
                    Protos.chat(trace, OtlpJson.randomHex(8), t, "gpt-4o", 100, 10),
                    Protos.span(trace, "0000000000000000", "zero-span-id", t, t + 1),
                    Protos.span(trace, OtlpJson.randomHex(8), "no-start", 0, t))));
            assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
            assertThat(response.getPartialSuccess().getErrorMessage())
                    .contains("rejected 2 of 3 spans").contains("span_id must not be all zeros");
        }
        Llm.query(suite, tenant).get("/api/v1/traces/" + trace).then().statusCode(200).body("spanCount", equalTo(1));
    }

    @Test
    void emptyRequestIsOk() throws Exception {
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, Llm.newTenant("grpc-empty"))) {
            assertThat(grpc.export(ExportTraceServiceRequest.getDefaultInstance()).hasPartialSuccess()).isFalse();
        }
    }

    @Test
    void garbageIsInvalidArgumentWithAReadableMessage() throws Exception {
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, Llm.newTenant("grpc-garbage"))) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> grpc.exportRaw(new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x02, 0x03}));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("cannot decode OTLP/protobuf ExportTraceServiceRequest");
        }
    }

    @Test
    void messagesOver4MiBAreResourceExhausted() throws Exception {
        try (RawGrpc grpc = new RawGrpc(suite.ingestGrpcPort, Llm.newTenant("grpc-big"))) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> grpc.exportRaw(new byte[5 * 1024 * 1024]));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
    }
}
