package io.llmobservatory.ingest.exporter;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.llmobservatory.ingest.config.IngestConfig;
import io.llmobservatory.shared.auth.InternalCallCredentials;
import io.llmobservatory.shared.pipeline.v1.MutinyPipelineGrpc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import java.util.function.LongSupplier;

/**
 * The enrich replicas for trace-id routing and a channel to each: a static host:port list, or the addresses of a
 * headless Service, re-resolved when older than the refresh interval (a failed resolution keeps the last list).
 * A replica that answered UNAVAILABLE is left out for {@code replicas-down-for}. Empty when routing is off.
 */
@ApplicationScoped
public class EnrichReplicas {
    private static final Logger LOG = Logger.getLogger(EnrichReplicas.class);

    private final IngestConfig.Enrich config;
    private final Function<String, ManagedChannel> channels;
    private final LongSupplier nanoTime;
    private final Map<String, ManagedChannel> open = new ConcurrentHashMap<>();
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    private volatile List<String> replicas;
    private volatile long resolvedAt;
    private volatile boolean resolved;

    /** Channels built here, not by Quarkus: they present the operator key like the Quarkus-managed clients. */
    @jakarta.inject.Inject
    public EnrichReplicas(IngestConfig config, MeterRegistry registry, InternalCallCredentials credentials) {
        this(config.enrich(), target -> ManagedChannelBuilder.forTarget(target).usePlaintext().intercept(credentials)
                .maxInboundMessageSize(4 * 1024 * 1024).build(), System::nanoTime);
        if (routing()) {
            Gauge.builder("observatory.ingest.enrich.replicas", this, r -> r.current().size())
                    .description("Enrich replicas ingest routes traces to (resolved)").tag("state", "resolved")
                    .register(registry);
            Gauge.builder("observatory.ingest.enrich.replicas", this, r -> r.available().size())
                    .description("Enrich replicas ingest routes traces to (not left out after UNAVAILABLE)")
                    .tag("state", "available").register(registry);
        }
    }

    EnrichReplicas(IngestConfig.Enrich config, Function<String, ManagedChannel> channels, LongSupplier nanoTime) {
        this.config = config;
        this.channels = channels;
        this.nanoTime = nanoTime;
        this.replicas = config.replicas().map(List::copyOf).orElse(List.of());
    }

    public boolean routing() {
        return config.replicas().isPresent() || config.replicasHost().isPresent();
    }

    /** The current replicas (host:port), sorted. */
    public List<String> current() {
        if (config.replicasHost().isPresent()
                && (!resolved || nanoTime.getAsLong() - resolvedAt > config.replicasRefresh().toNanos())) {
            resolvedAt = nanoTime.getAsLong();
            resolved = true;
            String host = config.replicasHost().get();
            try {
                List<String> now = Arrays.stream(InetAddress.getAllByName(host))
                        .map(a -> a.getHostAddress() + ":" + config.port()).sorted().distinct().toList();
                if (!now.equals(replicas)) {
                    LOG.infof("enrich replicas: %s resolves to %s (was %s)", host, now, replicas);
                    // Channels to replicas that left: finish their calls in flight, then close.
                    // (Two exports may re-resolve at once: the second finds the channel already removed.)
                    open.keySet().stream().filter(r -> !now.contains(r)).toList().forEach(r -> {
                        ManagedChannel gone = open.remove(r);
                        if (gone != null) {
                            gone.shutdown();
                        }
                    });
                }
                replicas = now;
            } catch (UnknownHostException e) {
                LOG.warnf("enrich replicas: cannot resolve %s, keeping %s", host, replicas);
            }
        }
        return replicas;
    }

    /**
     * The current replicas without those left out after answering UNAVAILABLE; all of them when every one is left
     * out (then the callers' retries decide, and the client is told to retry).
     */
    public List<String> available() {
        List<String> all = current();
        if (downUntil.isEmpty()) {
            return all;
        }
        long now = nanoTime.getAsLong();
        downUntil.entrySet().removeIf(e -> {
            boolean over = now - e.getValue() >= 0;
            ManagedChannel channel = open.get(e.getKey());
            if (over && channel != null) {
                channel.resetConnectBackoff(); // tried again now, not when grpc-java's reconnect backoff ends
            }
            return over;
        });
        List<String> up = all.stream().filter(r -> !downUntil.containsKey(r)).toList();
        return up.isEmpty() ? all : up;
    }

    /** Leaves {@code replica} out of {@link #available()} for {@code replicas-down-for}. */
    public void markDown(String replica) {
        if (downUntil.put(replica, nanoTime.getAsLong() + config.replicasDownFor().toNanos()) == null) {
            LOG.warnf("enrich replica %s unavailable: routing its traces to the next replica for %s", replica,
                    config.replicasDownFor());
        }
    }

    public MutinyPipelineGrpc.MutinyPipelineStub stub(String replica) {
        return MutinyPipelineGrpc.newMutinyStub(open.computeIfAbsent(replica, channels));
    }

    /** Lets the next call to each replica dial at once. */
    public void resetConnectBackoff() {
        open.values().forEach(ManagedChannel::resetConnectBackoff);
    }

    /**
     * Created and resolved at start, not on the first batch (the bean is lazy otherwise): the replica gauges exist
     * and the membership is known before any traffic.
     */
    void start(@Observes StartupEvent event) {
        if (routing()) {
            LOG.infof("enrich replicas: routing traces over %s", current());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        open.values().forEach(ManagedChannel::shutdownNow);
    }
}
