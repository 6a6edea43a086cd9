package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.GenAiMetricRow;
import io.llmobservatory.query.service.TimeRange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** GenAI metrics over {@code metric_points}. */
@ApplicationScoped
public class MetricQueryRepository {
    static final String GENAI = """
            WITH window_points AS (
                SELECT * FROM metric_points
                WHERE tenant = $1 AND time >= $2 AND time < $3 AND name LIKE 'gen\\_ai.%'
                  AND ($4::text IS NULL OR name = $4)
                  AND ($5::text IS NULL OR gen_ai_model = $5)
                  AND ($6::text IS NULL OR gen_ai_provider = $6)
            ), latest_cumulative AS (
                SELECT DISTINCT ON (series_id) * FROM window_points WHERE temporality = 2
                ORDER BY series_id, time_unix_nano DESC
            ), counted AS (
                SELECT * FROM latest_cumulative
                UNION ALL
                SELECT * FROM window_points WHERE temporality <> 2
            )
            SELECT name, gen_ai_model, gen_ai_provider, gen_ai_operation, gen_ai_token_type,
                   count(*) AS points, coalesce(sum(count), 0) AS count,
                   coalesce(sum(coalesce(sum, value_double, value_int::float8)), 0) AS total
            FROM counted
            GROUP BY 1, 2, 3, 4, 5
            ORDER BY 1, 2, 3, 4, 5
            """;

    private final Pool pool;

    public MetricQueryRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<GenAiMetricRow>> genAi(String tenant, TimeRange range, String metric, String model, String provider) {
        Tuple args = Tuple.wrap(new ArrayList<>(Arrays.asList(tenant, range.from().atOffset(ZoneOffset.UTC),
                range.to().atOffset(ZoneOffset.UTC), metric, model, provider)));
        return pool.preparedQuery(GENAI).execute(args).map(rows -> {
            List<GenAiMetricRow> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new GenAiMetricRow(r.getString("name"), r.getString("gen_ai_model"), r.getString("gen_ai_provider"),
                        r.getString("gen_ai_operation"), r.getString("gen_ai_token_type"), r.getLong("points"),
                        r.getLong("count"), r.getDouble("total")));
            }
            return out;
        });
    }
}
