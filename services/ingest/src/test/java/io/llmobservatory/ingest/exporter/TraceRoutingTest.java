package io.llmobservatory.ingest.exporter;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesRequest;
import io.llmobservatory.shared.pipeline.v1.ConsumeTracesResponse;
import io.llmobservatory.shared.pipeline.v1.MutinyPipelineGrpc;
import io.llmobservatory.shared.pipeline.v1.PipelineGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trace-id routing over real gRPC: two stand-in enrich replicas (the collaborator one layer down) on loopback; every
 * trace's spans land on one replica, both get traffic, the answer sums the parts.
 */
class TraceRoutingTest {
    private final List<Server> servers = new java.util.ArrayList<>();

    private String replica(List<ConsumeTracesRequest> received) throws IOException {
        Server server = ServerBuilder.forPort(0).addService(new PipelineGrpc.PipelineImplBase() {
            @Override
            public void consumeTraces(ConsumeTracesRequest request, StreamObserver<ConsumeTracesResponse> response) {
                received.add(request);
                int spans = request.getTraces().getResourceSpansList().stream()
                        .mapToInt(rs -> rs.getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum()).sum();
                response.onNext(ConsumeTracesResponse.newBuilder().setStoredSpans(spans).build());
                response.onCompleted();
            }
        }).build().start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
    }

    @Test
    void eachTracesSpansReachOneReplicaAndTheAnswerSumsTheParts() throws IOException {
        List<ConsumeTracesRequest> a = new CopyOnWriteArrayList<>();
        List<ConsumeTracesRequest> b = new CopyOnWriteArrayList<>();
        List<String> targets = List.of(replica(a), replica(b));
        IngestConfig.Enrich enrich = new IngestConfig.Enrich() {
            public String host() {
                return "unused";
            }

            public int port() {
                return 1;
            }

            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            public Duration retryAfter() {
                return Duration.ofSeconds(1);
            }

            public Optional<List<String>> replicas() {
                return Optional.of(targets);
            }

            public Optional<String> replicasHost() {
                return Optional.empty();
            }

            public Duration replicasRefresh() {
                return Duration.ofSeconds(30);
            }
        };
        IngestConfig config = new IngestConfig() {
            public Tenant tenant() {
                return null;
            }

            public Http http() {
                return null;
            }

            public Enrich enrich() {
                return enrich;
            }

            public Limits limits() {
                return null;
            }
        };
        EnrichReplicas replicas = new EnrichReplicas(enrich, t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build());
        var unusedChannel = ManagedChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
        EnrichClient client = new EnrichClient(MutinyPipelineGrpc.newMutinyStub(unusedChannel), unusedChannel, config, replicas);

        ConsumeTracesResponse answer = client.consumeTraces("acme", TraceRouterTest.batch(200, 3))
                .await().atMost(Duration.ofSeconds(20));
        assertThat(answer.getStoredSpans()).isEqualTo(600);
        assertThat(a).isNotEmpty();
        assertThat(b).isNotEmpty();
        assertThat(a).allSatisfy(r -> assertThat(r.getTenant()).isEqualTo("acme"));
        Set<ByteString> onA = traces(a);
        Set<ByteString> onB = traces(b);
        assertThat(onA).doesNotContainAnyElementsOf(onB);
        assertThat(onA.size() + onB.size()).isEqualTo(200);
        unusedChannel.shutdownNow();
    }

    private static Set<ByteString> traces(List<ConsumeTracesRequest> requests) {
        Set<ByteString> out = new HashSet<>();
        requests.forEach(r -> r.getTraces().getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
                .forEach(ss -> ss.getSpansList().forEach(s -> out.add(s.getTraceId())))));
        return out;
    }
}
