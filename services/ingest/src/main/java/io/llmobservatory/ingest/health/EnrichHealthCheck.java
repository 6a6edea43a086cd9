package io.llmobservatory.ingest.health;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import grpc.health.v1.MutinyHealthGrpc;
import io.llmobservatory.ingest.exporter.EnrichClient;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/** Ready only when enrich answers its gRPC health check: without it nothing could be acknowledged. */
@Readiness
@ApplicationScoped
public class EnrichHealthCheck implements AsyncHealthCheck {
    private static final String NAME = "enrich";

    private final MutinyHealthGrpc.MutinyHealthStub health;
    private final EnrichClient enrich;

    public EnrichHealthCheck(@GrpcClient("enrich") MutinyHealthGrpc.MutinyHealthStub health, EnrichClient enrich) {
        this.health = health;
        this.enrich = enrich;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().deferred(() -> health.withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()))
                .map(r -> HealthCheckResponse.builder().name(NAME).status(r.getStatus() == ServingStatus.SERVING)
                        .withData("status", r.getStatus().name()).build())
                .onFailure().invoke(enrich::resetConnectBackoff)
                .onFailure().recoverWithItem(f -> HealthCheckResponse.builder().name(NAME).down()
                        .withData("error", String.valueOf(f.getMessage())).build());
    }
}
