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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trace-id routing over real gRPC: two stand-in enrich replicas (the collaborator one layer down) on loopback; every
 * trace's spans land on one replica, both get traffic, the answer sums the parts; a stopped replica's traces go to
 * the other until it is back.
 */
class TraceRoutingTest {
    private final List<Server> servers = new java.util.ArrayList<>();
    private io.grpc.ManagedChannel unusedChannel;

    private String replica(List<ConsumeTracesRequest> received) throws IOException {
        Server server = ServerBuilder.forPort(0).addService(service(received)).build().start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }

    private static PipelineGrpc.PipelineImplBase service(List<ConsumeTracesRequest> received) {
        return new PipelineGrpc.PipelineImplBase() {
            @Override
            public void consumeTraces(ConsumeTracesRequest request, StreamObserver<ConsumeTracesResponse> response) {
                received.add(request);
                int spans = request.getTraces().getResourceSpansList().stream()
                        .mapToInt(rs -> rs.getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum()).sum();
                response.onNext(ConsumeTracesResponse.newBuilder().setStoredSpans(spans).build());
                response.onCompleted();
            }
        };
    }

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
        if (unusedChannel != null) {
            unusedChannel.shutdownNow();
        }
    }

    @Test
    void eachTracesSpansReachOneReplicaAndTheAnswerSumsTheParts() throws IOException {
        List<ConsumeTracesRequest> a = new CopyOnWriteArrayList<>();
        List<ConsumeTracesRequest> b = new CopyOnWriteArrayList<>();
        EnrichClient client = client(List.of(replica(a), replica(b)), new AtomicLong());

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
    }

    @Test
    void aStoppedReplicasTracesGoToTheNextReplicaUntilItIsBack() throws IOException {
        List<ConsumeTracesRequest> a = new CopyOnWriteArrayList<>();
        List<ConsumeTracesRequest> b = new CopyOnWriteArrayList<>();
        String onA = replica(a);
        String onB = replica(b);
        int portB = Integer.parseInt(onB.substring(onB.indexOf(':') + 1));
        AtomicLong clock = new AtomicLong();
        EnrichClient client = client(List.of(onA, onB), clock);
        servers.get(1).shutdownNow();

        // B is down: the client is answered OK, every span stored on A, each trace where rendezvous order puts it.
        ConsumeTracesResponse answer = client.consumeTraces("acme", TraceRouterTest.batch(200, 3))
                .await().atMost(Duration.ofSeconds(20));
        assertThat(answer.getStoredSpans()).isEqualTo(600);
        assertThat(traces(a)).hasSize(200);
        assertThat(b).isEmpty();
        a.clear();
        client.consumeTraces("acme", TraceRouterTest.batch(200, 3)).await().atMost(Duration.ofSeconds(20));
        assertThat(traces(a)).as("while B is left out, A gets all").hasSize(200);

        // B back on its port and its time out over: the traces spread again, each to its first choice.
        a.clear();
        servers.add(ServerBuilder.forPort(portB).addService(service(b)).build().start());
        // (The first call after the time out may find the channel still failing; it is left out once more.)
        for (int i = 0; i < 5 && b.isEmpty(); i++) {
            clock.addAndGet(Duration.ofSeconds(11).toNanos());
            answer = client.consumeTraces("acme", TraceRouterTest.batch(200, 3)).await().atMost(Duration.ofSeconds(20));
            assertThat(answer.getStoredSpans()).isEqualTo(600);
        }
        assertThat(b).isNotEmpty();
        traces(b).forEach(t -> assertThat(TraceRouter.replicaFor(t, List.of(onA, onB))).isEqualTo(onB));
    }

    private EnrichClient client(List<String> targets, AtomicLong clock) {
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

            public Duration replicasDownFor() {
                return Duration.ofSeconds(10);
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
        EnrichReplicas replicas = new EnrichReplicas(enrich, t -> ManagedChannelBuilder.forTarget(t).usePlaintext().build(),
                clock::get);
        unusedChannel = ManagedChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
        return new EnrichClient(MutinyPipelineGrpc.newMutinyStub(unusedChannel), unusedChannel, config, replicas);
    }

    private static Set<ByteString> traces(List<ConsumeTracesRequest> requests) {
        Set<ByteString> out = new HashSet<>();
        requests.forEach(r -> r.getTraces().getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
                .forEach(ss -> ss.getSpansList().forEach(s -> out.add(s.getTraceId())))));
        return out;
    }
}
