package io.llmobservatory.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

/**
 * TLS from files, as a Kubernetes Secret would mount them: OTLP/gRPC and OTLP/HTTPS at ingest, and the hop from
 * ingest to enrich, with a certificate made here by keytool. Real SDK exporters trust the certificate and export;
 * a plaintext client gets nowhere.
 */
class TlsIT {
    private static final String PASSWORD = "e2e-tls-secret";
    private static Suite suite;
    private static Path certificate;
    private static int ingestHttpsPort;
    private static int enrichHttpsPort;

    @BeforeAll
    static void start() throws Exception {
        suite = Suite.get();
        Path dir = Files.createDirectories(Suite.projectRoot().resolve("e2e/target/tls"));
        Path keyStore = dir.resolve("observatory.p12");
        certificate = dir.resolve("observatory.pem");
        Files.deleteIfExists(keyStore);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "observatory", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-rfc", "-alias", "observatory", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-file", certificate.toString());
        ingestHttpsPort = Suite.freePort();
        enrichHttpsPort = Suite.freePort();
        // Enrich serves its internal gRPC API over TLS too (on its HTTPS port).
        suite.restartEnrich(Map.of("QUARKUS_TLS_KEY_STORE_P12_PATH", keyStore.toString(),
                "QUARKUS_TLS_KEY_STORE_P12_PASSWORD", PASSWORD,
                "QUARKUS_HTTP_SSL_PORT", String.valueOf(enrichHttpsPort)));
        suite.restartIngest(Map.ofEntries(
                Map.entry("QUARKUS_TLS_KEY_STORE_P12_PATH", keyStore.toString()),
                Map.entry("QUARKUS_TLS_KEY_STORE_P12_PASSWORD", PASSWORD),
                Map.entry("QUARKUS_HTTP_SSL_PORT", String.valueOf(ingestHttpsPort)),
                Map.entry("QUARKUS_GRPC_SERVER_PLAIN_TEXT", "false"),
                Map.entry("QUARKUS_GRPC_SERVER_SSL_KEY_STORE", keyStore.toString()),
                Map.entry("QUARKUS_GRPC_SERVER_SSL_KEY_STORE_TYPE", "PKCS12"),
                Map.entry("QUARKUS_GRPC_SERVER_SSL_KEY_STORE_PASSWORD", PASSWORD),
                Map.entry("OBSERVATORY_INGEST_ENRICH_PORT", String.valueOf(enrichHttpsPort)),
                Map.entry("QUARKUS_GRPC_CLIENTS_ENRICH_PLAIN_TEXT", "false"),
                Map.entry("QUARKUS_GRPC_CLIENTS_ENRICH_SSL_TRUST_STORE", certificate.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        suite.restartEnrich(Map.of());
        suite.restartIngest(Map.of());
    }

    @Test
    void sdkExportersSendOverTlsAndTheDataIsStored() throws Exception {
        String tenant = Llm.newTenant("tls");
        byte[] pem = Files.readAllBytes(certificate);
        String grpcTrace;
        String httpTrace;
        SdkTracerProvider grpc = Llm.provider("tls-grpc", OtlpGrpcSpanExporter.builder()
                .setEndpoint("https://localhost:" + suite.ingestGrpcPort).setTrustedCertificates(pem)
                .addHeader("Authorization", Llm.bearer(suite, tenant)).build());
        grpcTrace = Llm.chatTrace(grpc.get("e2e"), "openai", "gpt-4o", 100, 10, null, "u", false);
        Llm.flush(grpc);
        grpc.shutdown();
        SdkTracerProvider http = Llm.provider("tls-http", OtlpHttpSpanExporter.builder()
                .setEndpoint("https://localhost:" + ingestHttpsPort + "/v1/traces").setTrustedCertificates(pem)
                .addHeader("Authorization", Llm.bearer(suite, tenant)).build());
        httpTrace = Llm.chatTrace(http.get("e2e"), "openai", "gpt-4o", 100, 10, null, "u", false);
        Llm.flush(http);
        http.shutdown();

        for (String trace : List.of(grpcTrace, httpTrace)) {
            Llm.query(suite, tenant).get("/api/v1/traces/" + trace).then().statusCode(200).body("spanCount", equalTo(2));
        }
    }

    @Test
    void aPlaintextClientIsNotServed() throws Exception {
        ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", suite.ingestGrpcPort).usePlaintext().build();
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> TraceServiceGrpc
                    .newBlockingStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .export(Protos.request("svc", List.of())));
            assertThat(e.getStatus().getCode()).isIn(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.INTERNAL,
                    io.grpc.Status.Code.DEADLINE_EXCEEDED, io.grpc.Status.Code.UNKNOWN);
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
