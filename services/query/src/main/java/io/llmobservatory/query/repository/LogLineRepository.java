package io.llmobservatory.query.repository;

import io.llmobservatory.query.logql.Ast;
import io.llmobservatory.query.logql.LogSource;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LogQL engine's storage port over {@code logs}: selector matchers on {@code service_name} and {@code severity}
 * and leading line filters become SQL with bound values; rows come back as lines with Loki-style labels.
 */
@ApplicationScoped
public class LogLineRepository implements LogSource {
    private static final HexFormat HEX = HexFormat.of();
    static final String BASE = """
            SELECT * FROM (
                SELECT time_unix_nano, observed_time_unix_nano, time, body, attributes, resource_attributes, service_name,
                       trace_id, span_id, event_name,
                       CASE WHEN jsonb_typeof(body) = 'string' THEN body #>> '{}' ELSE coalesce(body::text, '') END AS line,
                       CASE WHEN severity_number BETWEEN 1 AND 4 THEN 'trace' WHEN severity_number BETWEEN 5 AND 8 THEN 'debug'
                            WHEN severity_number BETWEEN 9 AND 12 THEN 'info' WHEN severity_number BETWEEN 13 AND 16 THEN 'warn'
                            WHEN severity_number BETWEEN 17 AND 20 THEN 'error' WHEN severity_number >= 21 THEN 'fatal'
                            ELSE coalesce(nullif(lower(severity_text), ''), 'unknown') END AS severity
                FROM logs WHERE tenant = $1 AND time >= $2 AND time < $3
            ) l WHERE true
            """;

    private final Pool pool;

    public LogLineRepository(Pool pool) {
        this.pool = pool;
    }

    @Override
    public List<Line> fetch(Request r) {
        List<Object> params = new ArrayList<>(List.of(r.tenant(), r.from().atOffset(ZoneOffset.UTC),
                r.to().atOffset(ZoneOffset.UTC)));
        StringBuilder sql = new StringBuilder(BASE);
        for (Ast.LabelMatcher m : r.matchers()) {
            String column = m.name().equals("severity") ? "l.severity" : "l.service_name";
            params.add(m.op().endsWith("~") ? "^(?:" + m.value() + ")$" : m.value());
            String op = switch (m.op()) {
                case "=" -> "=";
                case "!=" -> "<>";
                case "=~" -> "~";
                default -> "!~";
            };
            sql.append(" AND ").append(column).append(' ').append(op).append(" $").append(params.size());
        }
        for (Ast.LineFilter f : r.lineFilters()) {
            params.add(f.value());
            sql.append(switch (f.op()) {
                case "|=" -> " AND strpos(l.line, $" + params.size() + ") > 0";
                case "!=" -> " AND strpos(l.line, $" + params.size() + ") = 0";
                case "|~" -> " AND l.line ~ $" + params.size();
                default -> " AND l.line !~ $" + params.size();
            });
        }
        params.add(r.max() + 1);
        sql.append(" ORDER BY l.time ").append(r.newestFirst() ? "DESC" : "ASC").append(" LIMIT $").append(params.size());
        List<Line> out = new ArrayList<>();
        for (Row row : pool.preparedQuery(sql.toString()).execute(Tuple.wrap(params)).await().atMost(Duration.ofSeconds(60))) {
            Map<String, String> labels = new TreeMap<>();
            flatten(row.getValue("resource_attributes"), labels);
            flatten(row.getValue("attributes"), labels);
            labels.put("service_name", row.getString("service_name"));
            labels.put("severity", row.getString("severity"));
            Buffer trace = row.getBuffer("trace_id");
            Buffer span = row.getBuffer("span_id");
            if (trace != null) {
                labels.put("trace_id", HEX.formatHex(trace.getBytes()));
            }
            if (span != null) {
                labels.put("span_id", HEX.formatHex(span.getBytes()));
            }
            long time = row.getLong("time_unix_nano");
            out.add(new Line(time != 0 ? time : row.getLong("observed_time_unix_nano"), row.getString("line"), labels));
        }
        return out;
    }

    private static void flatten(Object json, Map<String, String> labels) {
        if (json instanceof JsonObject o) {
            o.forEach(e -> labels.put(e.getKey().replaceAll("[^A-Za-z0-9_]", "_"),
                    e.getValue() instanceof String s ? s : String.valueOf(e.getValue())));
        }
    }
}
