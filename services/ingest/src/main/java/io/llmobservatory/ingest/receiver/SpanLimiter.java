package io.llmobservatory.ingest.receiver;

import io.llmobservatory.ingest.config.IngestConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Span limits, as the OpenTelemetry SDK applies them: at most {@code max-attributes} attributes per span, event and
 * link (the first ones are kept), {@code max-events} events and {@code max-links} links per span, and string or
 * bytes values cut to {@code max-attribute-value-length}. An over-limit span is truncated, never rejected: what was
 * dropped is added to its {@code dropped_*_count} fields and counted in
 * {@code observatory_ingest_span_limit_truncations_total{what}}. A batch within the limits passes as the same object.
 */
@ApplicationScoped
public class SpanLimiter {
    private final int maxAttributes;
    private final int maxValueLength;
    private final int maxEvents;
    private final int maxLinks;
    private final Counter attributes;
    private final Counter values;
    private final Counter events;
    private final Counter links;

    @jakarta.inject.Inject
    public SpanLimiter(IngestConfig config, MeterRegistry registry) {
        this(config.limits().maxAttributes(), config.limits().maxAttributeValueLength(), config.limits().maxEvents(),
                config.limits().maxLinks(), registry);
    }

    /** Limits given directly (tests, benchmarks). */
    public SpanLimiter(int maxAttributes, int maxValueLength, int maxEvents, int maxLinks, MeterRegistry registry) {
        this.maxAttributes = maxAttributes;
        this.maxValueLength = maxValueLength;
        this.maxEvents = maxEvents;
        this.maxLinks = maxLinks;
        this.attributes = counter(registry, "attributes");
        this.values = counter(registry, "attribute_values");
        this.events = counter(registry, "events");
        this.links = counter(registry, "links");
    }

    private static Counter counter(MeterRegistry registry, String what) {
        return Counter.builder("observatory.ingest.span.limit.truncations")
                .description("Attributes, attribute values, events and links dropped or cut by the span limits")
                .tag("what", what).register(registry);
    }

    public ValidatedBatch<ExportTraceServiceRequest> limit(ValidatedBatch<ExportTraceServiceRequest> batch) {
        ExportTraceServiceRequest request = batch.accepted();
        if (!anyOverLimit(request)) {
            return batch;
        }
        ExportTraceServiceRequest.Builder out = request.toBuilder();
        for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                for (int i = 0; i < ss.getSpansCount(); i++) {
                    Span span = ss.getSpans(i);
                    if (overLimit(span)) {
                        ss.setSpans(i, truncate(span));
                    }
                }
            }
        }
        return new ValidatedBatch<>(out.build(), batch.acceptedItems(), batch.rejectedItems(), batch.firstProblem());
    }

    private boolean anyOverLimit(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (overLimit(span)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean overLimit(Span span) {
        if (span.getEventsCount() > maxEvents || span.getLinksCount() > maxLinks || overLimit(span.getAttributesList())) {
            return true;
        }
        for (Span.Event e : span.getEventsList()) {
            if (overLimit(e.getAttributesList())) {
                return true;
            }
        }
        for (Span.Link l : span.getLinksList()) {
            if (overLimit(l.getAttributesList())) {
                return true;
            }
        }
        return false;
    }

    private boolean overLimit(List<KeyValue> kvs) {
        if (kvs.size() > maxAttributes) {
            return true;
        }
        for (KeyValue kv : kvs) {
            if (tooLong(kv.getValue())) {
                return true;
            }
        }
        return false;
    }

    private boolean tooLong(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue().length() > maxValueLength;
            case BYTES_VALUE -> v.getBytesValue().size() > maxValueLength;
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().anyMatch(this::tooLong);
            default -> false;
        };
    }

    private Span truncate(Span span) {
        Span.Builder b = span.toBuilder();
        int droppedAttributes = keepAttributes(span.getAttributesList(), b::clearAttributes, b::addAttributes);
        b.setDroppedAttributesCount(span.getDroppedAttributesCount() + droppedAttributes);
        if (span.getEventsCount() > maxEvents) {
            int dropped = span.getEventsCount() - maxEvents;
            events.increment(dropped);
            b.clearEvents().addAllEvents(span.getEventsList().subList(0, maxEvents))
                    .setDroppedEventsCount(span.getDroppedEventsCount() + dropped);
        }
        for (int i = 0; i < b.getEventsCount(); i++) {
            Span.Event e = b.getEvents(i);
            if (overLimit(e.getAttributesList())) {
                Span.Event.Builder eb = e.toBuilder();
                int dropped = keepAttributes(e.getAttributesList(), eb::clearAttributes, eb::addAttributes);
                b.setEvents(i, eb.setDroppedAttributesCount(e.getDroppedAttributesCount() + dropped));
            }
        }
        if (span.getLinksCount() > maxLinks) {
            int dropped = span.getLinksCount() - maxLinks;
            links.increment(dropped);
            b.clearLinks().addAllLinks(span.getLinksList().subList(0, maxLinks))
                    .setDroppedLinksCount(span.getDroppedLinksCount() + dropped);
        }
        for (int i = 0; i < b.getLinksCount(); i++) {
            Span.Link l = b.getLinks(i);
            if (overLimit(l.getAttributesList())) {
                Span.Link.Builder lb = l.toBuilder();
                int dropped = keepAttributes(l.getAttributesList(), lb::clearAttributes, lb::addAttributes);
                b.setLinks(i, lb.setDroppedAttributesCount(l.getDroppedAttributesCount() + dropped));
            }
        }
        return b.build();
    }

    /** Re-adds the first {@code maxAttributes} attributes with values cut to length; returns how many were dropped. */
    private int keepAttributes(List<KeyValue> kvs, Runnable clear, java.util.function.Consumer<KeyValue> add) {
        clear.run();
        int kept = Math.min(kvs.size(), maxAttributes);
        for (int i = 0; i < kept; i++) {
            KeyValue kv = kvs.get(i);
            add.accept(tooLong(kv.getValue()) ? kv.toBuilder().setValue(cut(kv.getValue())).build() : kv);
        }
        int dropped = kvs.size() - kept;
        if (dropped > 0) {
            attributes.increment(dropped);
        }
        return dropped;
    }

    private AnyValue cut(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> {
                values.increment();
                String s = v.getStringValue();
                int end = maxValueLength;
                // Never split a surrogate pair.
                if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
                    end--;
                }
                yield AnyValue.newBuilder().setStringValue(s.substring(0, end)).build();
            }
            case BYTES_VALUE -> {
                values.increment();
                yield AnyValue.newBuilder().setBytesValue(v.getBytesValue().substring(0, maxValueLength)).build();
            }
            case ARRAY_VALUE -> {
                ArrayValue.Builder a = ArrayValue.newBuilder();
                v.getArrayValue().getValuesList().forEach(x -> a.addValues(tooLong(x) ? cut(x) : x));
                yield AnyValue.newBuilder().setArrayValue(a).build();
            }
            default -> v;
        };
    }
}
