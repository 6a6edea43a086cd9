package io.llmobservatory.ingest.exporter;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch by replica so that every span of a trace reaches the same enrich replica: rendezvous (highest
 * random weight) hashing of the trace id over the replica names. When a replica joins or leaves, only the traces
 * it wins or held move. Resource and scope structure is kept in each part.
 */
public final class TraceRouter {
    private TraceRouter() {
    }

    /** The replica for a trace id among {@code replicas} (not empty). */
    public static String replicaFor(ByteString traceId, List<String> replicas) {
        String best = null;
        long bestWeight = Long.MIN_VALUE;
        for (String replica : replicas) {
            long w = weight(traceId, replica);
            if (best == null || w > bestWeight || (w == bestWeight && replica.compareTo(best) < 0)) {
                best = replica;
                bestWeight = w;
            }
        }
        return best;
    }

    /** The batch split by replica; replicas that get no span are absent. */
    public static Map<String, ExportTraceServiceRequest> split(ExportTraceServiceRequest batch, List<String> replicas) {
        Map<String, ExportTraceServiceRequest.Builder> parts = new LinkedHashMap<>();
        for (ResourceSpans rs : batch.getResourceSpansList()) {
            Map<String, ResourceSpans.Builder> resources = new LinkedHashMap<>();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                Map<String, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
                for (Span span : ss.getSpansList()) {
                    String replica = replicaFor(span.getTraceId(), replicas);
                    scopes.computeIfAbsent(replica, r -> ss.toBuilder().clearSpans()).addSpans(span);
                }
                scopes.forEach((replica, scope) -> resources
                        .computeIfAbsent(replica, r -> rs.toBuilder().clearScopeSpans()).addScopeSpans(scope));
            }
            resources.forEach((replica, resource) -> parts
                    .computeIfAbsent(replica, r -> ExportTraceServiceRequest.newBuilder()).addResourceSpans(resource));
        }
        Map<String, ExportTraceServiceRequest> out = new LinkedHashMap<>();
        parts.forEach((replica, b) -> out.put(replica, b.build()));
        return out;
    }

    /** A 64-bit mix (FNV-1a then a murmur finaliser) of the trace id and the replica name. */
    static long weight(ByteString traceId, String replica) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < traceId.size(); i++) {
            h = (h ^ (traceId.byteAt(i) & 0xff)) * 0x100000001b3L;
        }
        for (byte b : replica.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
