package io.llmobservatory.ingest.exporter;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.pipeline.v1.MutinyPipelineGrpc;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The enrich replicas for trace-id routing and a channel to each: a static host:port list, or the addresses of a
 * headless Service, re-resolved when older than the refresh interval (a failed resolution keeps the last list).
 * Empty when routing is off.
 */
@ApplicationScoped
public class EnrichReplicas {
    private static final Logger LOG = Logger.getLogger(EnrichReplicas.class);

    private final IngestConfig.Enrich config;
    private final Function<String, ManagedChannel> channels;
    private final Map<String, ManagedChannel> open = new ConcurrentHashMap<>();
    private volatile List<String> replicas;
    private volatile long resolvedAt;

    @jakarta.inject.Inject
    public EnrichReplicas(IngestConfig config) {
        this(config.enrich(), target -> ManagedChannelBuilder.forTarget(target).usePlaintext()
                .maxInboundMessageSize(4 * 1024 * 1024).build());
    }

    EnrichReplicas(IngestConfig.Enrich config, Function<String, ManagedChannel> channels) {
        this.config = config;
        this.channels = channels;
        this.replicas = config.replicas().map(List::copyOf).orElse(List.of());
    }

    public boolean routing() {
        return config.replicas().isPresent() || config.replicasHost().isPresent();
    }

    /** The current replicas (host:port), sorted. */
    public List<String> current() {
        if (config.replicasHost().isPresent()
                && System.nanoTime() - resolvedAt > config.replicasRefresh().toNanos()) {
            resolvedAt = System.nanoTime();
            String host = config.replicasHost().get();
            try {
                replicas = Arrays.stream(InetAddress.getAllByName(host)).map(a -> a.getHostAddress() + ":" + config.port())
                        .sorted().distinct().toList();
            } catch (UnknownHostException e) {
                LOG.warnf("enrich replicas: cannot resolve %s, keeping %s", host, replicas);
            }
        }
        return replicas;
    }

    public MutinyPipelineGrpc.MutinyPipelineStub stub(String replica) {
        return MutinyPipelineGrpc.newMutinyStub(open.computeIfAbsent(replica, channels));
    }

    /** Lets the next call to each replica dial at once. */
    public void resetConnectBackoff() {
        open.values().forEach(ManagedChannel::resetConnectBackoff);
    }

    void stop(@Observes ShutdownEvent event) {
        open.values().forEach(ManagedChannel::shutdownNow);
    }
}
