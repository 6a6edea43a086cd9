package io.llmobservatory.query.repository;

import io.llmobservatory.query.model.ModelCost;
import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.TimeRange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Cost questions over {@code llm_calls}. */
@ApplicationScoped
public class CostRepository {

    static final String COST_BY_MODEL = """
            SELECT coalesce(model, '(unknown)') AS model,
                   coalesce(provider, '(unknown)') AS provider,
                   count(*) AS requests,
                   coalesce(sum(input_tokens), 0) AS input_tokens,
                   coalesce(sum(output_tokens), 0) AS output_tokens,
                   coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
                   coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
                   coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,
                   coalesce(sum(cost_usd), 0) AS cost_usd,
                   count(*) FILTER (WHERE cost_usd IS NULL) AS unpriced,
                   count(*) FILTER (WHERE cost_source = 'provided') AS provided_cost_requests,
                   count(*) FILTER (WHERE cost_disagrees) AS cost_disagreements,
                   avg(duration_ns) / 1e6 AS avg_latency_ms
            FROM llm_calls
            """ + AnalyticsRepository.WHERE + """
            GROUP BY 1, 2
            ORDER BY cost_usd DESC, requests DESC, model
            """;

    private final Pool pool;

    public CostRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<ModelCost>> costByModel(String tenant, TimeRange range, Filters f) {
        Tuple args = Tuple.wrap(new ArrayList<>(java.util.Arrays.asList(tenant, range.from().atOffset(ZoneOffset.UTC),
                range.to().atOffset(ZoneOffset.UTC), f.model(), f.provider(), f.service(), f.user(), f.session(),
                f.status())));
        return pool.preparedQuery(COST_BY_MODEL).execute(args).map(rows -> {
            List<ModelCost> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(toModelCost(row));
            }
            return out;
        });
    }

    private static ModelCost toModelCost(Row row) {
        BigDecimal cost = row.getBigDecimal("cost_usd").stripTrailingZeros();
        return new ModelCost(
                row.getString("model"),
                row.getString("provider"),
                row.getLong("requests"),
                row.getLong("input_tokens"),
                row.getLong("output_tokens"),
                row.getLong("cache_read_tokens"),
                row.getLong("cache_write_tokens"),
                row.getLong("reasoning_tokens"),
                cost.scale() < 0 ? cost.setScale(0) : cost,
                row.getLong("unpriced"),
                row.getLong("provided_cost_requests"),
                row.getLong("cost_disagreements"),
                row.getDouble("avg_latency_ms"));
    }
}
