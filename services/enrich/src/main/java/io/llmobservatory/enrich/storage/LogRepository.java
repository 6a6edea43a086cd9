package io.llmobservatory.enrich.storage;

import io.llmobservatory.shared.model.LogRecordData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes log records, one multi-row statement per batch. Records have no id of their own, so the key is a hash of
 * their content: a retried batch stores nothing twice (two byte-identical records at the same nanosecond are one).
 */
@ApplicationScoped
public class LogRepository {
    static final String INSERT = """
            INSERT INTO logs (tenant, log_id, time, time_unix_nano, observed_time_unix_nano, severity_number,
                              severity_text, body, attributes, dropped_attributes_count, flags, trace_id, span_id,
                              event_name, service_name, resource_attributes, scope_name, scope_version)
            SELECT $1, decode(t.log_id, 'hex'), timestamptz 'epoch' + (t.effective_ns / 1000) * interval '1 microsecond',
                   t.time_ns, t.observed_ns, t.severity::smallint, t.severity_text, t.body::jsonb, t.attributes::jsonb,
                   t.dropped, t.flags, decode(NULLIF(t.trace_id, ''), 'hex'), decode(NULLIF(t.span_id, ''), 'hex'),
                   t.event_name, t.service_name, t.resource::jsonb, t.scope_name, t.scope_version
            FROM unnest($2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int4[], $7::text[], $8::text[], $9::text[],
                        $10::int4[], $11::int4[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                        $17::text[], $18::text[])
                 AS t(log_id, effective_ns, time_ns, observed_ns, severity, severity_text, body, attributes, dropped,
                      flags, trace_id, span_id, event_name, service_name, resource, scope_name, scope_version)
            ON CONFLICT DO NOTHING
            """;

    private final Pool pool;

    public LogRepository(Pool pool) {
        this.pool = pool;
    }

    /** @param receivedUnixNano used as the time of records that carry neither a time nor an observed time (start of the day) */
    public Uni<Void> store(String tenant, List<LogRecordData> records, long receivedUnixNano) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = records.size();
        String[] id = new String[n], severityText = new String[n], body = new String[n], attributes = new String[n];
        String[] trace = new String[n], span = new String[n], event = new String[n], service = new String[n];
        String[] resource = new String[n], scopeName = new String[n], scopeVersion = new String[n];
        Long[] effective = new Long[n], time = new Long[n], observed = new Long[n];
        Integer[] severity = new Integer[n], dropped = new Integer[n], flags = new Integer[n];
        JsonText.Batch json = new JsonText.Batch();
        for (int i = 0; i < n; i++) {
            LogRecordData r = records.get(i);
            body[i] = JsonText.value(r.body());
            attributes[i] = json.attributes(r.attributes());
            resource[i] = json.sharedAttributes(r.resourceAttributes());
            id[i] = ContentHash.of(String.valueOf(r.timeUnixNano()), String.valueOf(r.observedTimeUnixNano()),
                    r.traceId(), r.spanId(), String.valueOf(r.severityNumber()), r.severityText(), body[i], attributes[i],
                    r.eventName(), resource[i], r.scope().name());
            long t = r.effectiveTimeUnixNano();
            effective[i] = t != 0 ? t : receivedUnixNano;
            time[i] = r.timeUnixNano();
            observed[i] = r.observedTimeUnixNano();
            severity[i] = r.severityNumber();
            severityText[i] = JsonText.text(r.severityText());
            dropped[i] = r.droppedAttributesCount();
            flags[i] = r.flags();
            trace[i] = r.traceId();
            span[i] = r.spanId();
            event[i] = JsonText.text(r.eventName());
            service[i] = JsonText.text(r.serviceName());
            scopeName[i] = JsonText.text(r.scope().name());
            scopeVersion[i] = JsonText.text(r.scope().version());
        }
        Tuple args = Tuple.wrap(new ArrayList<>(List.of(tenant, id, effective, time, observed, severity, severityText,
                body, attributes, dropped, flags, trace, span, event, service, resource, scopeName, scopeVersion)));
        return pool.preparedQuery(INSERT).execute(args).replaceWithVoid()
                .onFailure(f -> !(f instanceof StorageException)).transform(TraceRepository::classify);
    }
}
