package io.llmobservatory.query.service;

import io.llmobservatory.query.model.TraceCall;
import io.llmobservatory.query.repository.LlmCallRepository;

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
import io.llmobservatory.query.repository.TraceSearchRepository;
import io.llmobservatory.query.traceql.Ast;
import io.llmobservatory.query.traceql.TraceQl;
import io.llmobservatory.query.traceql.TraceQlException;
import io.llmobservatory.query.model.SpanView;
import io.llmobservatory.query.store.ExternalStores;
import io.llmobservatory.query.store.LokiClient;
import io.llmobservatory.query.store.TempoClient;
import io.llmobservatory.shared.otlp.OtlpIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** Validates parameters and answers the questions of the REST API from the repositories. */
@ApplicationScoped
public class QueryService {
    private final CostRepository costs;
    private final SpanRepository spans;
    private final MetricQueryRepository metrics;
    private final LogQueryRepository logs;
    private final ExternalStores stores;
    private final TraceSearchRepository traceSearch;
    private final LlmCallRepository calls;
    private final QueryConfig config;
    private final Clock clock = Clock.systemUTC();

    public QueryService(CostRepository costs, SpanRepository spans, MetricQueryRepository metrics,
                        LogQueryRepository logs, ExternalStores stores, TraceSearchRepository traceSearch,
                        LlmCallRepository calls, QueryConfig config) {
        this.traceSearch = traceSearch;
        this.calls = calls;
        this.stores = stores;
        this.costs = costs;
        this.spans = spans;
        this.metrics = metrics;
        this.logs = logs;
        this.config = config;
    }

    public Uni<CostByModel> costByModel(String tenant, String from, String to, Filters filters) {
        TimeRange range = TimeRange.parse(from, to, config.defaultRange(), clock);
        return costs.costByModel(tenant, range, filters).map(rows -> new CostByModel(range.from(), range.to(),
                rows.stream().map(ModelCost::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add), rows));
    }

    public Uni<TraceView> trace(String tenant, String traceId) {
        String id = traceId == null ? "" : traceId.trim().toLowerCase(Locale.ROOT);
        if (!OtlpIds.isValidTraceIdHex(id)) {
            throw new InvalidParameterException("traceId must be 32 hex digits, not all zero; got '" + traceId + "'");
        }
        byte[] idBytes = OtlpIds.fromHex(id);
        Uni<List<SpanView>> fromPostgres = stores.tracesInPostgres()
                ? spans.spansOfTrace(tenant, idBytes, config.maxTraceSpans()) : Uni.createFrom().item(List.of());
        Uni<List<SpanView>> all = fromPostgres.flatMap(list -> !list.isEmpty() || stores.tempo().isEmpty()
                ? Uni.createFrom().item(list)
                : ExternalStores.blocking(() -> stores.tempo().get().trace(tenant, id).orElse(List.of())));
        return all.flatMap(list -> linkedLogs(tenant, id, idBytes).map(linked -> {
            if (list.isEmpty() && linked.isEmpty()) {
                throw new NotFoundException("trace " + id + " not found");
            }
            return new TraceView(id, list.size(), list, linked);
        }));
    }

    /** The LLM calls of a trace (always PostgreSQL: the facts live there whatever stores the spans). */
    public Uni<List<TraceCall>> traceCalls(String tenant, String traceId) {
        String id = traceId == null ? "" : traceId.trim().toLowerCase(Locale.ROOT);
        if (!OtlpIds.isValidTraceIdHex(id)) {
            throw new InvalidParameterException("traceId must be 32 hex digits, not all zero; got '" + traceId + "'");
        }
        return calls.callsOfTrace(tenant, OtlpIds.fromHex(id), config.maxTraceSpans());
    }

    private Uni<List<LogView>> linkedLogs(String tenant, String id, byte[] idBytes) {
        if (stores.loki().isPresent()) {
            java.time.Instant now = clock.instant();
            return ExternalStores.blocking(() -> stores.loki().get().queryRange(tenant,
                    "{service_name=~\".+\"} | trace_id=\"" + id + "\"", now.minus(config.traceLogWindow()), now,
                    config.maxTraceSpans()));
        }
        return logs.ofTrace(tenant, idBytes, config.maxTraceSpans());
    }

    /** TraceQL search, answered by Tempo. */
    public Uni<List<TempoClient.TraceSummary>> searchTraces(String tenant, String traceql, String from, String to,
                                                            Integer limit) {
        if (traceql == null || traceql.isBlank()) {
            throw new InvalidParameterException("q (a TraceQL query, e.g. { span.gen_ai.request.model = \"gpt-4o\" }) is required");
        }
        TimeRange range = TimeRange.parse(from, to, config.defaultRange(), clock);
        int n = limit == null ? 20 : limit;
        if (n < 1 || n > 1000) {
            throw new InvalidParameterException("limit must be between 1 and 1000, got " + n);
        }
        if (stores.tempo().isPresent() && !stores.tracesInPostgres()) {
            // Tempo holds the traces: it answers the full language.
            return ExternalStores.blocking(() -> stores.tempo().get().search(tenant, traceql, range.from(), range.to(), n));
        }
        Ast.Filter filter;
        try {
            filter = TraceQl.parse(traceql);
        } catch (TraceQlException e) {
            throw new InvalidParameterException("TraceQL: " + e.getMessage());
        }
        return traceSearch.search(tenant, range, filter, n);
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
        if (stores.loki().isPresent()) {
            return ExternalStores.blocking(() -> stores.loki().get().queryRange(tenant,
                    LokiClient.selector(blank(service), minSeverity), range.from(), range.to(), n));
        }
        return logs.search(tenant, range, minSeverity, blank(service), n);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
