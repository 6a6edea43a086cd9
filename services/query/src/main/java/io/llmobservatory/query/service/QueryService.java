package io.llmobservatory.query.service;

import io.llmobservatory.query.config.QueryConfig;
import io.llmobservatory.query.model.CostByModel;
import io.llmobservatory.query.model.GenAiMetricRow;
import io.llmobservatory.query.model.LogView;
import io.llmobservatory.query.model.ModelCost;
import io.llmobservatory.query.model.TraceView;
import io.llmobservatory.query.repository.CostRepository;
import io.llmobservatory.query.repository.LogQueryRepository;
import io.llmobservatory.query.repository.MetricQueryRepository;
import io.llmobservatory.query.repository.SpanRepository;
import io.llmobservatory.shared.otlp.OtlpIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validates parameters and answers the questions of the REST API from the repositories. */
@ApplicationScoped
public class QueryService {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final CostRepository costs;
    private final SpanRepository spans;
    private final MetricQueryRepository metrics;
    private final LogQueryRepository logs;
    private final QueryConfig config;
    private final Clock clock = Clock.systemUTC();

    public QueryService(CostRepository costs, SpanRepository spans, MetricQueryRepository metrics,
                        LogQueryRepository logs, QueryConfig config) {
        this.costs = costs;
        this.spans = spans;
        this.metrics = metrics;
        this.logs = logs;
        this.config = config;
    }

    public String tenant(String header) {
        if (header == null || header.isBlank()) {
            return config.tenant().defaultTenant();
        }
        String tenant = header.trim();
        if (!TENANT.matcher(tenant).matches()) {
            throw new InvalidParameterException(config.tenant().header()
                    + " must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        return tenant;
    }

    public Uni<CostByModel> costByModel(String tenant, String from, String to) {
        TimeRange range = TimeRange.parse(from, to, config.defaultRange(), clock);
        return costs.costByModel(tenant, range).map(rows -> new CostByModel(range.from(), range.to(),
                rows.stream().map(ModelCost::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add), rows));
    }

    public Uni<TraceView> trace(String tenant, String traceId) {
        String id = traceId == null ? "" : traceId.trim().toLowerCase(Locale.ROOT);
        if (!OtlpIds.isValidTraceIdHex(id)) {
            throw new InvalidParameterException("traceId must be 32 hex digits, not all zero; got '" + traceId + "'");
        }
        byte[] idBytes = OtlpIds.fromHex(id);
        return spans.spansOfTrace(tenant, idBytes, config.maxTraceSpans())
                .flatMap(list -> logs.ofTrace(tenant, idBytes, config.maxTraceSpans()).map(linked -> {
                    if (list.isEmpty() && linked.isEmpty()) {
                        throw new NotFoundException("trace " + id + " not found");
                    }
                    return new TraceView(id, list.size(), list, linked);
                }));
    }

    public Uni<List<GenAiMetricRow>> genAiMetrics(String tenant, String from, String to, String metric, String model,
                                                  String provider) {
        TimeRange range = TimeRange.parse(from, to, config.defaultRange(), clock);
        return metrics.genAi(tenant, range, blank(metric), blank(model), blank(provider));
    }

    public Uni<List<LogView>> logs(String tenant, String from, String to, Integer minSeverity, String service,
                                   Integer limit) {
        TimeRange range = TimeRange.parse(from, to, config.defaultRange(), clock);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw new InvalidParameterException("limit must be between 1 and 1000, got " + n);
        }
        if (minSeverity != null && (minSeverity < 0 || minSeverity > 24)) {
            throw new InvalidParameterException("severity must be a severity number 0-24, got " + minSeverity);
        }
        return logs.search(tenant, range, minSeverity, blank(service), n);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
