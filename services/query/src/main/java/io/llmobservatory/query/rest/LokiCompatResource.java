package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.service.LogQlService;
import io.llmobservatory.query.service.QueryService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Loki's {@code query_range} on the query service, so Grafana's Loki data source (and LogQL tools) can point here:
 * forwarded to Loki when Loki holds the logs, evaluated over PostgreSQL otherwise. Tenant in {@code X-Scope-OrgID}.
 */
@Path("/loki/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class LokiCompatResource {
    private final LogQlService logql;
    private final QueryService query;
    private final CurrentPrincipal principal;

    public LokiCompatResource(LogQlService logql, QueryService query, CurrentPrincipal principal) {
        this.logql = logql;
        this.query = query;
        this.principal = principal;
    }

    @GET
    @Path("/query_range")
    public Uni<jakarta.ws.rs.core.Response> queryRange(@QueryParam("query") String q, @QueryParam("start") String start,
                                  @QueryParam("end") String end, @QueryParam("limit") String limit,
                                  @QueryParam("direction") String direction, @QueryParam("step") String step,
                                  @Context HttpHeaders headers) {
        // A forwarded answer is Loki's JSON text, passed through as it is.
        return logql.queryRange(principal.tenant(headers), q, start, end, Params.integer("limit", limit), direction, step)
                .map(answer -> jakarta.ws.rs.core.Response.ok(answer, MediaType.APPLICATION_JSON).build());
    }
}
