package io.llmobservatory.enrich.storage;

import io.llmobservatory.shared.model.SpanRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Spans to the column arrays of {@link TraceRepository#INSERT_SPANS}. */
final class SpanRowMapper {
    private SpanRowMapper() {
    }

    static Tuple toTuple(String tenant, List<SpanRecord> spans) {
        int n = spans.size();
        Buffer[] traceId = new Buffer[n], spanId = new Buffer[n], parent = new Buffer[n];
        String[] traceState = new String[n];
        Integer[] flags = new Integer[n], kind = new Integer[n], status = new Integer[n];
        String[] name = new String[n], statusMessage = new String[n], service = new String[n];
        Long[] start = new Long[n], end = new Long[n];
        String[] attributes = new String[n], events = new String[n], links = new String[n], resource = new String[n];
        Integer[] droppedAttributes = new Integer[n], droppedEvents = new Integer[n], droppedLinks = new Integer[n];
        String[] scopeName = new String[n], scopeVersion = new String[n], scopeAttributes = new String[n];
        JsonText.Batch json = new JsonText.Batch();
        for (int i = 0; i < n; i++) {
            SpanRecord s = spans.get(i);
            traceId[i] = Ids.bytes(s.traceId());
            spanId[i] = Ids.bytes(s.spanId());
            parent[i] = s.parentSpanId() == null || s.parentSpanId().isEmpty() ? null : Ids.bytes(s.parentSpanId());
            traceState[i] = JsonText.text(s.traceState());
            flags[i] = s.flags();
            name[i] = JsonText.text(s.name());
            kind[i] = s.kind();
            start[i] = s.startTimeUnixNano();
            end[i] = s.endTimeUnixNano();
            status[i] = s.statusCode();
            statusMessage[i] = JsonText.text(s.statusMessage());
            service[i] = JsonText.text(s.serviceName());
            attributes[i] = json.attributes(s.attributes());
            droppedAttributes[i] = s.droppedAttributesCount();
            events[i] = json.events(s.events());
            droppedEvents[i] = s.droppedEventsCount();
            links[i] = json.links(s.links());
            droppedLinks[i] = s.droppedLinksCount();
            resource[i] = json.sharedAttributes(s.resourceAttributes());
            scopeName[i] = JsonText.text(s.scope().name());
            scopeVersion[i] = JsonText.text(s.scope().version());
            scopeAttributes[i] = json.sharedAttributes(s.scope().attributes());
        }
        return Tuple.wrap(new ArrayList<>(List.of(tenant, traceId, spanId, parent, traceState, flags, name, kind, start, end, status,
                statusMessage, service, attributes, droppedAttributes, events, droppedEvents, links, droppedLinks,
                resource, scopeName, scopeVersion, scopeAttributes)));
    }
}
