package io.llmobservatory.query.store;

import io.llmobservatory.query.model.SpanView;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanLink;
import io.llmobservatory.shared.model.SpanRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spans read from an OTLP store (Tempo) in the API's shape, the same one PostgreSQL reads give. */
public final class SpanViews {
    private static final String[] KINDS = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    private static final String[] STATUSES = {"UNSET", "OK", "ERROR"};

    private SpanViews() {
    }

    public static SpanView of(SpanRecord s) {
        List<Object> events = new ArrayList<>();
        for (SpanEvent e : s.events()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("timeUnixNano", e.timeUnixNano());
            m.put("name", e.name());
            m.put("attributes", e.attributes().asMap());
            events.add(m);
        }
        List<Object> links = new ArrayList<>();
        for (SpanLink l : s.links()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("traceId", l.traceId());
            m.put("spanId", l.spanId());
            m.put("attributes", l.attributes().asMap());
            links.add(m);
        }
        return new SpanView(s.traceId(), s.spanId(), s.parentSpanId().isEmpty() ? null : s.parentSpanId(), s.name(),
                s.kind() >= 0 && s.kind() < KINDS.length ? KINDS[s.kind()] : String.valueOf(s.kind()), s.serviceName(),
                Instant.ofEpochSecond(0, s.startTimeUnixNano()).toString(), s.startTimeUnixNano(), s.endTimeUnixNano(),
                s.durationNanos() / 1e6,
                s.statusCode() >= 0 && s.statusCode() < STATUSES.length ? STATUSES[s.statusCode()] : String.valueOf(s.statusCode()),
                s.statusMessage(), s.attributes().asMap(), events, links, s.resourceAttributes().asMap(),
                new SpanView.Scope(s.scope().name(), s.scope().version(), s.scope().attributes().asMap()), s.traceState());
    }
}
