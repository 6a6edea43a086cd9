package io.llmobservatory.shared.otlp;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanLink;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.model.MetricPoint;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.ResourceAttributes;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
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
                InstrumentationScope scope = scope(ss.hasScope(), ss.getScope());
                for (Span span : ss.getSpansList()) {
                    out.add(toSpan(span, service, resource, scope));
                }
            }
        }
        return out;
    }

    /** Flattens a logs request into records, each carrying its resource and scope. */
    public static List<LogRecordData> toLogRecords(ExportLogsServiceRequest request) {
        List<LogRecordData> out = new ArrayList<>();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            Attributes resource = toAttributes(rl.getResource().getAttributesList());
            String service = serviceName(rl.getResource(), resource);
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                InstrumentationScope scope = scope(sl.hasScope(), sl.getScope());
                for (LogRecord r : sl.getLogRecordsList()) {
                    out.add(new LogRecordData(r.getTimeUnixNano(), r.getObservedTimeUnixNano(), r.getSeverityNumberValue(),
                            r.getSeverityText(), r.hasBody() ? toJava(r.getBody()) : null,
                            toAttributes(r.getAttributesList()), r.getDroppedAttributesCount(), r.getFlags(),
                            OtlpIds.isValidTraceId(r.getTraceId()) ? OtlpIds.toHex(r.getTraceId()) : "",
                            OtlpIds.isValidSpanId(r.getSpanId()) ? OtlpIds.toHex(r.getSpanId()) : "",
                            r.getEventName(), service, resource, scope));
                }
            }
        }
        return out;
    }

    /** Flattens a metrics request into data points of every OTLP metric type. */
    public static List<MetricPoint> toMetricPoints(ExportMetricsServiceRequest request) {
        List<MetricPoint> out = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            Attributes resource = toAttributes(rm.getResource().getAttributesList());
            String service = serviceName(rm.getResource(), resource);
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                InstrumentationScope scope = scope(sm.hasScope(), sm.getScope());
                for (Metric m : sm.getMetricsList()) {
                    addPoints(m, service, resource, scope, out);
                }
            }
        }
        return out;
    }

    private static void addPoints(Metric m, String service, Attributes resource, InstrumentationScope scope,
                                  List<MetricPoint> out) {
        switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> out.add(number(m, "gauge", 0, null, p,
                    service, resource, scope)));
            case SUM -> m.getSum().getDataPointsList().forEach(p -> out.add(number(m, "sum",
                    m.getSum().getAggregationTemporalityValue(), m.getSum().getIsMonotonic(), p, service, resource, scope)));
            case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> out.add(new MetricPoint(m.getName(),
                    m.getDescription(), m.getUnit(), "histogram", m.getHistogram().getAggregationTemporalityValue(), null,
                    p.getStartTimeUnixNano(), p.getTimeUnixNano(), toAttributes(p.getAttributesList()), null, null,
                    p.getCount(), p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null,
                    p.hasMax() ? p.getMax() : null, p.getBucketCountsList(), p.getExplicitBoundsList(), null, null,
                    exemplars(p.getExemplarsList()), p.getFlags(), service, resource, scope)));
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList().forEach(p -> out.add(
                    new MetricPoint(m.getName(), m.getDescription(), m.getUnit(), "exponential_histogram",
                            m.getExponentialHistogram().getAggregationTemporalityValue(), null, p.getStartTimeUnixNano(),
                            p.getTimeUnixNano(), toAttributes(p.getAttributesList()), null, null, p.getCount(),
                            p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null,
                            null, null, exponential(p), null, exemplars(p.getExemplarsList()), p.getFlags(), service,
                            resource, scope)));
            case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> out.add(new MetricPoint(m.getName(),
                    m.getDescription(), m.getUnit(), "summary", 0, null, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                    toAttributes(p.getAttributesList()), null, null, p.getCount(), p.getSum(), null, null, null, null,
                    null, quantiles(p), List.of(), p.getFlags(), service, resource, scope)));
            default -> {
                // A metric with no data: nothing to store.
            }
        }
    }

    private static MetricPoint number(Metric m, String type, int temporality, Boolean monotonic, NumberDataPoint p,
                                      String service, Attributes resource, InstrumentationScope scope) {
        Double d = p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE ? p.getAsDouble() : null;
        Long l = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : null;
        return new MetricPoint(m.getName(), m.getDescription(), m.getUnit(), type, temporality, monotonic,
                p.getStartTimeUnixNano(), p.getTimeUnixNano(), toAttributes(p.getAttributesList()), d, l, null, null, null,
                null, null, null, null, null, exemplars(p.getExemplarsList()), p.getFlags(), service, resource, scope);
    }

    private static Map<String, Object> exponential(ExponentialHistogramDataPoint p) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("scale", (long) p.getScale());
        e.put("zeroCount", p.getZeroCount());
        e.put("zeroThreshold", p.getZeroThreshold());
        e.put("positive", Map.of("offset", (long) p.getPositive().getOffset(), "bucketCounts",
                List.copyOf(p.getPositive().getBucketCountsList())));
        e.put("negative", Map.of("offset", (long) p.getNegative().getOffset(), "bucketCounts",
                List.copyOf(p.getNegative().getBucketCountsList())));
        return e;
    }

    private static List<Map<String, Object>> quantiles(SummaryDataPoint p) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            out.add(Map.of("quantile", q.getQuantile(), "value", q.getValue()));
        }
        return out;
    }

    private static List<Map<String, Object>> exemplars(List<Exemplar> exemplars) {
        List<Map<String, Object>> out = new ArrayList<>(exemplars.size());
        for (Exemplar e : exemplars) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("timeUnixNano", e.getTimeUnixNano());
            x.put("value", e.getValueCase() == Exemplar.ValueCase.AS_INT ? (Object) e.getAsInt() : (Object) e.getAsDouble());
            x.put("traceId", OtlpIds.toHex(e.getTraceId()));
            x.put("spanId", OtlpIds.toHex(e.getSpanId()));
            x.put("filteredAttributes", toAttributes(e.getFilteredAttributesList()).asMap());
            out.add(x);
        }
        return out;
    }

    private static InstrumentationScope scope(boolean present, io.opentelemetry.proto.common.v1.InstrumentationScope s) {
        return present ? new InstrumentationScope(s.getName(), s.getVersion(), toAttributes(s.getAttributesList()))
                : InstrumentationScope.EMPTY;
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

    /** Spans back to an OTLP request, grouped by resource and scope (for exporting to another OTLP backend). */
    public static ExportTraceServiceRequest toRequest(List<SpanRecord> spans) {
        Map<Attributes, Map<InstrumentationScope, List<SpanRecord>>> groups = new LinkedHashMap<>();
        for (SpanRecord s : spans) {
            groups.computeIfAbsent(s.resourceAttributes(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(s.scope(), sc -> new ArrayList<>()).add(s);
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        groups.forEach((resource, scopes) -> {
            ResourceSpans.Builder rs = request.addResourceSpansBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(toKeyValues(resource)));
            scopes.forEach((scope, list) -> {
                ScopeSpans.Builder ss = rs.addScopeSpansBuilder().setScope(
                        io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName(scope.name())
                                .setVersion(scope.version()).addAllAttributes(toKeyValues(scope.attributes())));
                list.forEach(span -> ss.addSpans(toProto(span)));
            });
        });
        return request.build();
    }

    static Span toProto(SpanRecord s) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(com.google.protobuf.ByteString.copyFrom(OtlpIds.fromHex(s.traceId())))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(OtlpIds.fromHex(s.spanId())))
                .setTraceState(s.traceState()).setFlags(s.flags()).setName(s.name()).setKindValue(s.kind())
                .setStartTimeUnixNano(s.startTimeUnixNano()).setEndTimeUnixNano(s.endTimeUnixNano())
                .addAllAttributes(toKeyValues(s.attributes())).setDroppedAttributesCount(s.droppedAttributesCount())
                .setDroppedEventsCount(s.droppedEventsCount()).setDroppedLinksCount(s.droppedLinksCount())
                .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCodeValue(s.statusCode())
                        .setMessage(s.statusMessage()));
        if (!s.parentSpanId().isEmpty()) {
            b.setParentSpanId(com.google.protobuf.ByteString.copyFrom(OtlpIds.fromHex(s.parentSpanId())));
        }
        for (SpanEvent e : s.events()) {
            b.addEvents(Span.Event.newBuilder().setTimeUnixNano(e.timeUnixNano()).setName(e.name())
                    .addAllAttributes(toKeyValues(e.attributes())).setDroppedAttributesCount(e.droppedAttributesCount()));
        }
        for (SpanLink l : s.links()) {
            b.addLinks(Span.Link.newBuilder().setTraceId(com.google.protobuf.ByteString.copyFrom(OtlpIds.fromHex(l.traceId())))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(OtlpIds.fromHex(l.spanId())))
                    .setTraceState(l.traceState()).setFlags(l.flags()).addAllAttributes(toKeyValues(l.attributes()))
                    .setDroppedAttributesCount(l.droppedAttributesCount()));
        }
        return b.build();
    }

    public static List<KeyValue> toKeyValues(Attributes attributes) {
        List<KeyValue> out = new ArrayList<>(attributes.size());
        attributes.asMap().forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(toAnyValue(v)).build()));
        return out;
    }

    /** A Java attribute value back to AnyValue (BigDecimal as a double; byte arrays were base64 strings already). */
    public static AnyValue toAnyValue(Object v) {
        AnyValue.Builder b = AnyValue.newBuilder();
        if (v instanceof String s) {
            b.setStringValue(s);
        } else if (v instanceof Boolean bool) {
            b.setBoolValue(bool);
        } else if (v instanceof Long || v instanceof Integer) {
            b.setIntValue(((Number) v).longValue());
        } else if (v instanceof Number n) {
            b.setDoubleValue(n.doubleValue());
        } else if (v instanceof List<?> list) {
            io.opentelemetry.proto.common.v1.ArrayValue.Builder a = b.getArrayValueBuilder();
            list.forEach(x -> a.addValues(toAnyValue(x)));
        } else if (v instanceof Map<?, ?> map) {
            io.opentelemetry.proto.common.v1.KeyValueList.Builder kv = b.getKvlistValueBuilder();
            map.forEach((k, x) -> kv.addValues(KeyValue.newBuilder().setKey(String.valueOf(k)).setValue(toAnyValue(x))));
        }
        return b.build();
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
        return Attributes.wrap(map);
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
