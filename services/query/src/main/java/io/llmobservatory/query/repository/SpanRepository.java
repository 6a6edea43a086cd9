package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.SpanView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Spans stored in PostgreSQL. */
@ApplicationScoped
public class SpanRepository {
    private static final String[] KINDS = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    private static final String[] STATUSES = {"UNSET", "OK", "ERROR"};
    private static final HexFormat HEX = HexFormat.of();

    static final String SPANS_OF_TRACE = """
            SELECT trace_id, span_id, parent_span_id, name, kind, service_name, start_time,
                   start_time_unix_nano, end_time_unix_nano, duration_ns, status_code, status_message,
                   attributes, events, links, resource_attributes, scope_name, scope_version, scope_attributes,
                   trace_state
            FROM spans
            WHERE tenant = $1 AND trace_id = $2
            ORDER BY start_time_unix_nano, span_id
            LIMIT $3
            """;

    private final Pool pool;

    public SpanRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<SpanView>> spansOfTrace(String tenant, byte[] traceId, int limit) {
        return pool.preparedQuery(SPANS_OF_TRACE).execute(Tuple.of(tenant, io.vertx.core.buffer.Buffer.buffer(traceId), limit))
                .map(rows -> {
                    List<SpanView> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(toSpan(row));
                    }
                    return out;
                });
    }

    private static SpanView toSpan(Row row) {
        Buffer parent = row.getBuffer("parent_span_id");
        int kind = row.getInteger("kind");
        int status = row.getInteger("status_code");
        return new SpanView(
                hex(row.getBuffer("trace_id")),
                hex(row.getBuffer("span_id")),
                parent == null ? null : hex(parent),
                row.getString("name"),
                kind >= 0 && kind < KINDS.length ? KINDS[kind] : String.valueOf(kind),
                row.getString("service_name"),
                row.getOffsetDateTime("start_time").withOffsetSameInstant(ZoneOffset.UTC).toString(),
                row.getLong("start_time_unix_nano"),
                row.getLong("end_time_unix_nano"),
                row.getLong("duration_ns") / 1e6,
                status >= 0 && status < STATUSES.length ? STATUSES[status] : String.valueOf(status),
                row.getString("status_message"),
                map(row.getValue("attributes")),
                list(row.getValue("events")),
                list(row.getValue("links")),
                map(row.getValue("resource_attributes")),
                new SpanView.Scope(row.getString("scope_name"), row.getString("scope_version"),
                        map(row.getValue("scope_attributes"))),
                row.getString("trace_state"));
    }

    private static String hex(Buffer buffer) {
        return HEX.formatHex(buffer.getBytes());
    }

    private static Map<String, Object> map(Object json) {
        return json instanceof JsonObject o ? o.getMap() : Map.of();
    }

    private static List<Object> list(Object json) {
        return json instanceof JsonArray a ? a.getList() : List.of();
    }
}
