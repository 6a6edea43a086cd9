package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.LogView;
import io.llmobservatory.query.service.TimeRange;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Log records in {@code logs}. */
@ApplicationScoped
public class LogQueryRepository {
    private static final HexFormat HEX = HexFormat.of();
    private static final String COLUMNS = """
            time, time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, attributes,
            trace_id, span_id, event_name, service_name, resource_attributes
            """;
    static final String SEARCH = "SELECT " + COLUMNS + """
            FROM logs
            WHERE tenant = $1 AND time >= $2 AND time < $3
              AND ($4::int IS NULL OR severity_number >= $4)
              AND ($5::text IS NULL OR service_name = $5)
            ORDER BY time DESC, log_id
            LIMIT $6
            """;
    static final String OF_TRACE = "SELECT " + COLUMNS + """
            FROM logs WHERE tenant = $1 AND trace_id = $2 ORDER BY time, log_id LIMIT $3
            """;

    private final Pool pool;

    public LogQueryRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<LogView>> search(String tenant, TimeRange range, Integer minSeverity, String service, int limit) {
        Tuple args = Tuple.wrap(new ArrayList<>(Arrays.asList(tenant, range.from().atOffset(ZoneOffset.UTC),
                range.to().atOffset(ZoneOffset.UTC), minSeverity, service, limit)));
        return pool.preparedQuery(SEARCH).execute(args).map(LogQueryRepository::toViews);
    }

    public Uni<List<LogView>> ofTrace(String tenant, byte[] traceId, int limit) {
        return pool.preparedQuery(OF_TRACE).execute(Tuple.of(tenant, io.vertx.core.buffer.Buffer.buffer(traceId), limit))
                .map(LogQueryRepository::toViews);
    }

    private static List<LogView> toViews(RowSet<Row> rows) {
        List<LogView> out = new ArrayList<>();
        for (Row r : rows) {
            long time = r.getLong("time_unix_nano");
            out.add(new LogView(r.getOffsetDateTime("time").withOffsetSameInstant(ZoneOffset.UTC).toString(),
                    time != 0 ? time : r.getLong("observed_time_unix_nano"), r.getInteger("severity_number"),
                    r.getString("severity_text"), json(r.getValue("body")), map(r.getValue("attributes")),
                    hex(r.getBuffer("trace_id")), hex(r.getBuffer("span_id")), r.getString("event_name"),
                    r.getString("service_name"), map(r.getValue("resource_attributes"))));
        }
        return out;
    }

    private static Object json(Object v) {
        if (v instanceof JsonObject o) {
            return o.getMap();
        }
        if (v instanceof JsonArray a) {
            return a.getList();
        }
        return v;
    }

    private static Map<String, Object> map(Object v) {
        return v instanceof JsonObject o ? o.getMap() : Map.of();
    }

    private static String hex(Buffer b) {
        return b == null ? null : HEX.formatHex(b.getBytes());
    }
}
