package io.llmobservatory.ingest.exporter;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TraceRouterTest {
    private static final List<String> THREE = List.of("10.0.0.1:8081", "10.0.0.2:8081", "10.0.0.3:8081");

    static ByteString traceId(long n) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(n * 0x9E3779B97F4A7C15L).putLong(n).array());
    }

    static ExportTraceServiceRequest batch(int traces, int spansPerTrace) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("lib"));
        for (int t = 0; t < traces; t++) {
            for (int s = 0; s < spansPerTrace; s++) {
                scope.addSpans(Span.newBuilder().setTraceId(traceId(t))
                        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(t).putInt(s).array())).setName("s"));
            }
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("bot")))).addScopeSpans(scope)).build();
    }

    @Test
    void everySpanGoesToOneReplicaAndATracesSpansTogetherWithResourceAndScopeKept() {
        ExportTraceServiceRequest batch = batch(300, 4);
        Map<String, ExportTraceServiceRequest> parts = TraceRouter.split(batch, THREE);
        assertThat(parts).hasSize(3);
        Map<ByteString, String> replicaOfTrace = new HashMap<>();
        int spans = 0;
        for (Map.Entry<String, ExportTraceServiceRequest> part : parts.entrySet()) {
            for (ResourceSpans rs : part.getValue().getResourceSpansList()) {
                assertThat(rs.getResource()).isEqualTo(batch.getResourceSpans(0).getResource());
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    assertThat(ss.getScope().getName()).isEqualTo("lib");
                    for (Span span : ss.getSpansList()) {
                        spans++;
                        String previous = replicaOfTrace.putIfAbsent(span.getTraceId(), part.getKey());
                        assertThat(previous).isIn(null, part.getKey());
                    }
                }
            }
        }
        assertThat(spans).isEqualTo(1200);
        // the same trace in a later batch goes to the same replica
        assertThat(TraceRouter.replicaFor(traceId(17), THREE)).isEqualTo(replicaOfTrace.get(traceId(17)));
    }

    @Test
    void tracesSpreadEvenlyAndOnlyAJoiningReplicasShareMoves() {
        List<String> four = new ArrayList<>(THREE);
        four.add("10.0.0.4:8081");
        Map<String, Integer> load = new HashMap<>();
        int moved = 0;
        int n = 10_000;
        for (int t = 0; t < n; t++) {
            String before = TraceRouter.replicaFor(traceId(t), THREE);
            String after = TraceRouter.replicaFor(traceId(t), four);
            load.merge(before, 1, Integer::sum);
            if (!before.equals(after)) {
                moved++;
                assertThat(after).as("a trace only moves to the new replica").isEqualTo("10.0.0.4:8081");
            }
        }
        assertThat(load.values()).allSatisfy(c -> assertThat(c).isBetween(n / 3 - 500, n / 3 + 500));
        assertThat(moved).isBetween(n / 4 - 500, n / 4 + 500);
    }
}
