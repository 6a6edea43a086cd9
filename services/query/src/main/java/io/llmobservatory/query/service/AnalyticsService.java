package io.llmobservatory.query.service;

import io.llmobservatory.query.config.QueryConfig;
import io.llmobservatory.query.model.Analytics;
import io.llmobservatory.query.repository.AnalyticsRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parameter validation for the analytics endpoints; the answers come from {@link AnalyticsRepository}. */
@ApplicationScoped
public class AnalyticsService {
    private static final Set<String> ERROR_GROUPS = Set.of("none", "model", "provider", "error_type");

    private final AnalyticsRepository repository;
    private final QueryConfig config;
    private final Clock clock = Clock.systemUTC();

    public AnalyticsService(AnalyticsRepository repository, QueryConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public Uni<List<Analytics.LatencyPoint>> latencyTrend(String tenant, String from, String to, Filters filters,
                                                          String bucket, String groupBy, String exact) {
        TimeRange range = range(from, to);
        boolean byModel = switch (groupBy == null ? "none" : groupBy.trim().toLowerCase(Locale.ROOT)) {
            case "none", "" -> false;
            case "model" -> true;
            default -> throw new InvalidParameterException("groupBy must be none or model, got '" + groupBy + "'");
        };
        return repository.latencyTrend(tenant, range, filters, Bucket.parse(bucket, range), byModel, flag("exact", exact));
    }

    public Uni<List<Analytics.ExpensiveRequest>> expensive(String tenant, String from, String to, Filters filters,
                                                          String minCostUsd, Integer limit, Integer offset) {
        BigDecimal min = null;
        if (minCostUsd != null && !minCostUsd.isBlank()) {
            try {
                min = new BigDecimal(minCostUsd.trim());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("minCostUsd must be a decimal number, got '" + minCostUsd + "'");
            }
        }
        return repository.expensive(tenant, range(from, to), filters, min, Page.of(limit, offset, 20));
    }

    public Uni<List<Analytics.ModelStats>> compare(String tenant, String from, String to, Filters filters, Integer limit,
                                                  Integer offset, String exact) {
        return repository.compare(tenant, range(from, to), filters, Page.of(limit, offset, 50), flag("exact", exact));
    }

    public Uni<List<Analytics.UserActivity>> users(String tenant, String from, String to, Filters filters, Integer limit,
                                                  Integer offset) {
        return repository.users(tenant, range(from, to), filters, Page.of(limit, offset, 50));
    }

    public Uni<Analytics.Spend> spend(String tenant, String user) {
        String u = user == null || user.isBlank() ? null : user.trim();
        return repository.spend(tenant, null).chain(all -> u == null
                ? Uni.createFrom().item(new Analytics.Spend(tenant, all, null, null))
                : repository.spend(tenant, u).map(mine -> new Analytics.Spend(tenant, all, u, mine)));
    }

    public Uni<List<Analytics.ErrorPoint>> errors(String tenant, String from, String to, Filters filters, String bucket,
                                                  String groupBy) {
        TimeRange range = range(from, to);
        String group = groupBy == null || groupBy.isBlank() ? "none" : groupBy.trim().toLowerCase(Locale.ROOT);
        if (!ERROR_GROUPS.contains(group)) {
            throw new InvalidParameterException("groupBy must be one of " + ERROR_GROUPS + ", got '" + groupBy + "'");
        }
        return repository.errors(tenant, range, filters, Bucket.parse(bucket, range), group);
    }

    private static boolean flag(String name, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new InvalidParameterException(name + " must be true or false, got '" + value + "'");
        };
    }

    private TimeRange range(String from, String to) {
        return TimeRange.parse(from, to, config.defaultRange(), clock);
    }
}
