package io.llmobservatory.query.repository;

import io.llmobservatory.query.service.TimeRange;
import io.llmobservatory.query.store.TempoClient;
import io.llmobservatory.query.traceql.Ast;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TraceQL over the {@code spans} table: the parsed filter (the typed request of the storage port) becomes a WHERE
 * clause in which every value and attribute key is a bound parameter; only operators and column names, from fixed
 * tables, are SQL text. A trace matches when one of its spans in the window matches; answers have Tempo's search shape.
 */
@ApplicationScoped
public class TraceSearchRepository {
    private static final Map<Ast.Op, String> SQL_OPS = Map.of(Ast.Op.EQ, "=", Ast.Op.NE, "<>", Ast.Op.GT, ">",
            Ast.Op.GE, ">=", Ast.Op.LT, "<", Ast.Op.LE, "<=", Ast.Op.MATCH, "~", Ast.Op.NOT_MATCH, "!~");
    private static final Map<String, Integer> STATUS = Map.of("unset", 0, "ok", 1, "error", 2);
    private static final Map<String, Integer> KIND = Map.of("unspecified", 0, "internal", 1, "server", 2, "client", 3,
            "producer", 4, "consumer", 5);

    private final Pool pool;

    public TraceSearchRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<TempoClient.TraceSummary>> search(String tenant, TimeRange range, Ast.Filter filter, int limit) {
        List<Object> params = new ArrayList<>(List.of(tenant, range.from().atOffset(ZoneOffset.UTC),
                range.to().atOffset(ZoneOffset.UTC)));
        String predicate = filter.expression() == null ? "true" : sql(filter.expression(), params);
        params.add(limit);
        String sql = """
                WITH matched AS (
                    SELECT s.trace_id, max(s.start_time) AS last_seen
                    FROM spans s
                    WHERE s.tenant = $1 AND s.start_time >= $2 AND s.start_time < $3 AND (%s)
                    GROUP BY s.trace_id
                    ORDER BY last_seen DESC
                    LIMIT $%d
                )
                SELECT encode(m.trace_id, 'hex') AS trace_id,
                       (array_agg(t.service_name ORDER BY (t.parent_span_id IS NULL) DESC, t.start_time_unix_nano))[1] AS root_service,
                       (array_agg(t.name ORDER BY (t.parent_span_id IS NULL) DESC, t.start_time_unix_nano))[1] AS root_name,
                       min(t.start_time_unix_nano) AS start_ns,
                       (max(t.end_time_unix_nano) - min(t.start_time_unix_nano)) / 1000000 AS duration_ms
                FROM matched m JOIN spans t ON t.tenant = $1 AND t.trace_id = m.trace_id
                GROUP BY m.trace_id, m.last_seen
                ORDER BY m.last_seen DESC
                """.formatted(predicate, params.size());
        return pool.preparedQuery(sql).execute(Tuple.wrap(params)).map(rows -> {
            List<TempoClient.TraceSummary> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new TempoClient.TraceSummary(r.getString("trace_id"), r.getString("root_service"),
                        r.getString("root_name"), r.getLong("start_ns"), r.getLong("duration_ms")));
            }
            return out;
        });
    }

    private static String sql(Ast node, List<Object> params) {
        if (node instanceof Ast.And and) {
            return "(" + sql(and.left(), params) + " AND " + sql(and.right(), params) + ")";
        }
        if (node instanceof Ast.Or or) {
            return "(" + sql(or.left(), params) + " OR " + sql(or.right(), params) + ")";
        }
        Ast.Comparison c = (Ast.Comparison) node;
        String op = SQL_OPS.get(c.op());
        if (c.field() instanceof Ast.Intrinsic i) {
            return switch (i.name()) {
                case "duration" -> "s.duration_ns " + op + " " + bind(params, ((Ast.DurationNanos) c.value()).nanos());
                case "name" -> "s.name " + op + " " + text(c, params);
                case "status" -> "s.status_code " + op + " " + bind(params, STATUS.get(((Ast.EnumWord) c.value()).word()));
                case "kind" -> "s.kind " + op + " " + bind(params, KIND.get(((Ast.EnumWord) c.value()).word()));
                case "trace:duration" -> "(SELECT max(x.end_time_unix_nano) - min(x.start_time_unix_nano) FROM spans x"
                        + " WHERE x.tenant = s.tenant AND x.trace_id = s.trace_id) " + op + " "
                        + bind(params, ((Ast.DurationNanos) c.value()).nanos());
                case "trace:rootName" -> "EXISTS (SELECT 1 FROM spans r WHERE r.tenant = s.tenant AND r.trace_id = s.trace_id"
                        + " AND r.parent_span_id IS NULL AND r.name " + op + " " + text(c, params) + ")";
                case "trace:rootService" -> "EXISTS (SELECT 1 FROM spans r WHERE r.tenant = s.tenant AND r.trace_id = s.trace_id"
                        + " AND r.parent_span_id IS NULL AND r.service_name " + op + " " + text(c, params) + ")";
                default -> throw new IllegalStateException("unvalidated intrinsic " + i.name());
            };
        }
        Ast.Attribute a = (Ast.Attribute) c.field();
        return switch (a.scope()) {
            case SPAN -> attribute("s.attributes", a.key(), c, op, params);
            case RESOURCE -> attribute("s.resource_attributes", a.key(), c, op, params);
            case ANY -> "(" + attribute("s.attributes", a.key(), c, op, params) + " OR "
                    + attribute("s.resource_attributes", a.key(), c, op, params) + ")";
        };
    }

    /** A comparison on one jsonb attribute map; a missing or differently-typed attribute never matches. */
    private static String attribute(String column, String key, Ast.Comparison c, String op, List<Object> params) {
        String k = bind(params, key);
        if (c.value() instanceof Ast.Number n) {
            return "(CASE WHEN jsonb_typeof(" + column + " -> " + k + ") = 'number' THEN (" + column + " ->> " + k
                    + ")::float8 END) " + op + " " + bind(params, n.value());
        }
        if (c.value() instanceof Ast.Bool b) {
            return "(CASE WHEN jsonb_typeof(" + column + " -> " + k + ") = 'boolean' THEN (" + column + " ->> " + k
                    + ")::boolean END) " + op + " " + bind(params, b.value());
        }
        return "(CASE WHEN jsonb_typeof(" + column + " -> " + k + ") = 'string' THEN " + column + " ->> " + k + " END) "
                + op + " " + text(c, params);
    }

    /** A string value; regular expressions are anchored, as TraceQL matches whole values. */
    private static String text(Ast.Comparison c, List<Object> params) {
        String v = ((Ast.Text) c.value()).value();
        boolean regex = c.op() == Ast.Op.MATCH || c.op() == Ast.Op.NOT_MATCH;
        return bind(params, regex ? "^(?:" + v + ")$" : v);
    }

    private static String bind(List<Object> params, Object value) {
        params.add(value);
        return "$" + params.size();
    }
}
