package io.llmobservatory.query.grpc;

import io.grpc.Status;
import io.llmobservatory.query.model.Analytics;
import io.llmobservatory.query.model.ModelCost;
import io.llmobservatory.query.repository.AnalyticsRepository;
import io.llmobservatory.query.repository.CostRepository;
import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.Page;
import io.llmobservatory.query.service.TimeRange;
import io.llmobservatory.shared.model.TenantIds;
import io.llmobservatory.shared.query.v1.LlmStats;
import io.llmobservatory.shared.query.v1.ModelRow;
import io.llmobservatory.shared.query.v1.ModelWindowRequest;
import io.llmobservatory.shared.query.v1.ModelWindowResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers the alerting service's LLM rules compare against thresholds, from the same repositories (and so the
 * same rollups and tenant scoping) as the REST API.
 */
@GrpcService
public class LlmStatsGrpcService implements LlmStats {
    private final CostRepository costs;
    private final AnalyticsRepository analytics;
    private final Clock clock = Clock.systemUTC();

    public LlmStatsGrpcService(CostRepository costs, AnalyticsRepository analytics) {
        this.costs = costs;
        this.analytics = analytics;
    }

    @Override
    public Uni<ModelWindowResponse> modelWindow(ModelWindowRequest request) {
        if (!TenantIds.isValid(request.getTenant())) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("tenant must be " + TenantIds.RULE)
                    .asRuntimeException());
        }
        if (request.getWindowSeconds() <= 0 || request.getWindowSeconds() > Duration.ofDays(400).toSeconds()) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT
                    .withDescription("window_seconds must be between 1 and 400 days, got " + request.getWindowSeconds())
                    .asRuntimeException());
        }
        Instant now = clock.instant();
        TimeRange range = new TimeRange(now.minusSeconds(request.getWindowSeconds()), now);
        Filters filters = Filters.of(request.getModel(), null, null, request.getUser(), null, null, null);
        Uni<List<ModelCost>> cost = costs.costByModel(request.getTenant(), range, filters);
        Uni<List<Analytics.ModelStats>> stats = analytics.compare(request.getTenant(), range, filters,
                new Page(Page.MAX, 0), false);
        return Uni.combine().all().unis(cost, stats).with((costRows, statRows) -> {
            Map<String, Analytics.ModelStats> byModel = new HashMap<>();
            statRows.forEach(s -> byModel.put(s.model() + "\u0000" + s.provider(), s));
            ModelWindowResponse.Builder out = ModelWindowResponse.newBuilder();
            for (ModelCost c : costRows) {
                Analytics.ModelStats s = byModel.get(c.model() + "\u0000" + c.provider());
                out.addModels(ModelRow.newBuilder().setModel(c.model()).setProvider(c.provider())
                        .setRequests(c.requests()).setCostUsd(c.costUsd().toPlainString())
                        .setUnpricedRequests(c.unpricedRequests())
                        .setErrorRate(s == null ? 0 : s.errorRate())
                        .setP95LatencyMs(s == null || Double.isNaN(s.p95LatencyMs()) ? 0 : s.p95LatencyMs()));
            }
            return out.build();
        });
    }
}
