package io.llmobservatory.shared.otlp;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanLink;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.ResourceAttributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one mapping between OTLP protobuf messages and the pipeline's model. */
public final class OtlpMapper {
    private OtlpMapper() {
    }

    /** Flattens a request into spans, each carrying its resource and scope. */
    public static List<SpanRecord> toSpans(ExportTraceServiceRequest request) {
        List<SpanRecord> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Attributes resource = toAttributes(rs.getResource().getAttributesList());
            String service = serviceName(rs.getResource(), resource);
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                InstrumentationScope scope = ss.hasScope()
                        ? new InstrumentationScope(ss.getScope().getName(), ss.getScope().getVersion(),
                                toAttributes(ss.getScope().getAttributesList()))
                        : InstrumentationScope.EMPTY;
                for (Span span : ss.getSpansList()) {
                    out.add(toSpan(span, service, resource, scope));
                }
            }
        }
        return out;
    }

    public static SpanRecord toSpan(Span span, String serviceName, Attributes resource, InstrumentationScope scope) {
        List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
        for (Span.Event e : span.getEventsList()) {
            events.add(new SpanEvent(e.getTimeUnixNano(), e.getName(), toAttributes(e.getAttributesList()),
                    e.getDroppedAttributesCount()));
        }
        List<SpanLink> links = new ArrayList<>(span.getLinksCount());
        for (Span.Link l : span.getLinksList()) {
            links.add(new SpanLink(OtlpIds.toHex(l.getTraceId()), OtlpIds.toHex(l.getSpanId()), l.getTraceState(),
                    toAttributes(l.getAttributesList()), l.getDroppedAttributesCount(), l.getFlags()));
        }
        return new SpanRecord(
                OtlpIds.toHex(span.getTraceId()),
                OtlpIds.toHex(span.getSpanId()),
                // Some clients send an all-zero parent for a root span.
                OtlpIds.isValidSpanId(span.getParentSpanId()) ? OtlpIds.toHex(span.getParentSpanId()) : "",
                span.getTraceState(),
                span.getFlags(),
                span.getName(),
                span.getKindValue(),
                span.getStartTimeUnixNano(),
                span.getEndTimeUnixNano(),
                span.getStatus().getCodeValue(),
                span.getStatus().getMessage(),
                serviceName,
                toAttributes(span.getAttributesList()),
                span.getDroppedAttributesCount(),
                events,
                span.getDroppedEventsCount(),
                links,
                span.getDroppedLinksCount(),
                resource,
                scope);
    }

    public static Attributes toAttributes(List<KeyValue> keyValues) {
        if (keyValues.isEmpty()) {
            return Attributes.empty();
        }
        Map<String, Object> map = new LinkedHashMap<>(keyValues.size() * 2);
        for (KeyValue kv : keyValues) {
            // Duplicate keys are invalid OTLP; the last one wins, as in the Collector's pdata.
            map.put(kv.getKey(), toJava(kv.getValue()));
        }
        return Attributes.of(map);
    }

    /** AnyValue to its Java form; an unset value becomes null. */
    public static Object toJava(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> list = new ArrayList<>(value.getArrayValue().getValuesCount());
                for (AnyValue v : value.getArrayValue().getValuesList()) {
                    list.add(toJava(v));
                }
                yield list;
            }
            case KVLIST_VALUE -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (KeyValue kv : value.getKvlistValue().getValuesList()) {
                    map.put(kv.getKey(), toJava(kv.getValue()));
                }
                yield map;
            }
            default -> null;
        };
    }

    private static String serviceName(Resource resource, Attributes attributes) {
        return attributes.string(ResourceAttributes.SERVICE_NAME).orElse(ResourceAttributes.UNKNOWN_SERVICE);
    }
}
