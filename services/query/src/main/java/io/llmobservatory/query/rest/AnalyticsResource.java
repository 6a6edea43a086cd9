package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.model.Analytics;
import io.llmobservatory.query.service.AnalyticsService;
import io.llmobservatory.query.service.Filters;
import io.llmobservatory.query.service.QueryService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The questions platform teams ask of their LLM traffic. All take {@code from}/{@code to} (RFC 3339, Unix seconds or
 * relative like {@code 24h}; default the last 24 h) and the filters model, provider, service, user, session,
 * status (ok|error); lists take {@code limit} (max 1000) and {@code offset}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {
    private final AnalyticsService analytics;
    private final QueryService query;
    private final CurrentPrincipal principal;

    public AnalyticsResource(AnalyticsService analytics, QueryService query, CurrentPrincipal principal) {
        this.analytics = analytics;
        this.query = query;
        this.principal = principal;
    }

    /**
     * p50/p95/p99 latency per bucket (1m, 5m, 15m, 1h, 6h, 1d), optionally per model ({@code groupBy=model}). For
     * buckets of an hour or more without user/session/status filters the percentiles come from latency histograms
     * (log-spaced bins, 8 per doubling) and are within 4.4 % of the exact value; {@code exact=true} computes them
     * from every call instead (slower over long windows).
     */
    @GET
    @Path("/latency/trend")
    public Uni<List<Analytics.LatencyPoint>> latency(@BeanParam CommonParams p, @QueryParam("bucket") String bucket,
                                                     @QueryParam("groupBy") String groupBy,
                                                     @QueryParam("exact") String exact, @Context HttpHeaders h) {
        return analytics.latencyTrend(tenant(h), p.from, p.to, p.filters(), bucket, groupBy, exact);
    }

    /** The most expensive calls, with their trace ids; {@code minCostUsd} keeps only calls costing at least that. */
    @GET
    @Path("/requests/expensive")
    public Uni<List<Analytics.ExpensiveRequest>> expensive(@BeanParam CommonParams p, @QueryParam("minCostUsd") String min,
                                                           @Context HttpHeaders h) {
        return analytics.expensive(tenant(h), p.from, p.to, p.filters(), min, p.limit(), p.offset());
    }

    /**
     * Per model: requests, average and p95 latency, error rate, cost, cost per 1 K requests, tokens/s. The p95 is
     * estimated from latency histograms as in the latency trend (within 4.4 %) unless {@code exact=true}.
     */
    @GET
    @Path("/models/compare")
    public Uni<List<Analytics.ModelStats>> compare(@BeanParam CommonParams p, @QueryParam("exact") String exact,
                                                   @Context HttpHeaders h) {
        return analytics.compare(tenant(h), p.from, p.to, p.filters(), p.limit(), p.offset(), exact);
    }

    /** Per user: requests, tokens and cost over the window, biggest spenders first (default top 50). */
    @GET
    @Path("/users/activity")
    public Uni<List<Analytics.UserActivity>> users(@BeanParam CommonParams p, @Context HttpHeaders h) {
        return analytics.users(tenant(h), p.from, p.to, p.filters(), p.limit(), p.offset());
    }

    /** Spend in the rolling windows 1 h, 24 h, 7 d and 30 d ending now, for the tenant and optionally one user. */
    @GET
    @Path("/spend")
    public Uni<Analytics.Spend> spend(@QueryParam("user") String user, @Context HttpHeaders h) {
        return analytics.spend(tenant(h), user);
    }

    /** Error rate per bucket, optionally grouped by model, provider or error type. */
    @GET
    @Path("/errors/trend")
    public Uni<List<Analytics.ErrorPoint>> errors(@BeanParam CommonParams p, @QueryParam("bucket") String bucket,
                                                  @QueryParam("groupBy") String groupBy, @Context HttpHeaders h) {
        return analytics.errors(tenant(h), p.from, p.to, p.filters(), bucket, groupBy);
    }

    private String tenant(HttpHeaders h) {
        return principal.tenant(h);
    }
}
