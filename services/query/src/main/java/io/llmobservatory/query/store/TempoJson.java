package io.llmobservatory.query.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.llmobservatory.query.model.SpanView;
import io.llmobservatory.shared.otlp.OtlpIds;
import io.llmobservatory.shared.otlp.OtlpMapper;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans in Tempo's {@code /api/traces/<id>} JSON (proto3 JSON of OTLP: base64 ids, enum names, resource spans under
 * {@code batches}), so Grafana's Tempo data source can read traces stored in PostgreSQL.
 */
public final class TempoJson {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final List<String> KINDS = List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER");
    private static final List<String> STATUSES = List.of("UNSET", "OK", "ERROR");

    private TempoJson() {
    }

    public static String trace(List<SpanView> spans) {
        Map<Map<String, Object>, Map<SpanView.Scope, List<SpanView>>> groups = new LinkedHashMap<>();
        for (SpanView s : spans) {
            groups.computeIfAbsent(s.resource(), r -> new LinkedHashMap<>()).computeIfAbsent(s.scope(), x -> new ArrayList<>())
                    .add(s);
        }
        TracesData.Builder data = TracesData.newBuilder();
        groups.forEach((resource, scopes) -> {
            ResourceSpans.Builder rs = data.addResourceSpansBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(keyValues(resource)));
            scopes.forEach((scope, list) -> {
                ScopeSpans.Builder ss = rs.addScopeSpansBuilder().setScope(InstrumentationScope.newBuilder()
                        .setName(nz(scope.name())).setVersion(nz(scope.version())).addAllAttributes(keyValues(scope.attributes())));
                list.forEach(s -> ss.addSpans(span(s)));
            });
        });
        try {
            String json = PRINTER.print(data);
            // Tempo's v1 answer names the resource spans "batches".
            return json.startsWith("{\"resourceSpans\":") ? "{\"batches\":" + json.substring("{\"resourceSpans\":".length())
                    : "{\"batches\":[]}";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Span span(SpanView s) {
        Span.Builder b = Span.newBuilder().setTraceId(id(s.traceId())).setSpanId(id(s.spanId())).setName(nz(s.name()))
                .setKindValue(Math.max(0, KINDS.indexOf(s.kind()))).setStartTimeUnixNano(s.startTimeUnixNano())
                .setEndTimeUnixNano(s.endTimeUnixNano()).setTraceState(nz(s.traceState()))
                .addAllAttributes(keyValues(s.attributes()))
                .setStatus(Status.newBuilder().setCodeValue(Math.max(0, STATUSES.indexOf(s.statusCode())))
                        .setMessage(nz(s.statusMessage())));
        if (s.parentSpanId() != null) {
            b.setParentSpanId(id(s.parentSpanId()));
        }
        for (Object e : s.events()) {
            Map<String, Object> event = (Map<String, Object>) e;
            b.addEvents(Span.Event.newBuilder().setName(String.valueOf(event.get("name")))
                    .setTimeUnixNano(((Number) event.getOrDefault("timeUnixNano", 0L)).longValue())
                    .addAllAttributes(keyValues((Map<String, Object>) event.getOrDefault("attributes", Map.of()))));
        }
        for (Object l : s.links()) {
            Map<String, Object> link = (Map<String, Object>) l;
            b.addLinks(Span.Link.newBuilder().setTraceId(id(String.valueOf(link.get("traceId"))))
                    .setSpanId(id(String.valueOf(link.get("spanId"))))
                    .addAllAttributes(keyValues((Map<String, Object>) link.getOrDefault("attributes", Map.of()))));
        }
        return b.build();
    }

    private static List<KeyValue> keyValues(Map<String, Object> attributes) {
        List<KeyValue> out = new ArrayList<>();
        attributes.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(OtlpMapper.toAnyValue(v)).build()));
        return out;
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(OtlpIds.fromHex(hex));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
