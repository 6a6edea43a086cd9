package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.model.CostByModel;
import io.llmobservatory.query.service.QueryService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** Cost questions. */
@Path("/api/v1/costs")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {
    private final QueryService service;
    private final CurrentPrincipal principal;

    public CostResource(QueryService service, CurrentPrincipal principal) {
        this.service = service;
        this.principal = principal;
    }

    /** Requests, tokens, cost and average latency per model over [from, to), most expensive first. */
    @GET
    @Path("/by-model")
    public Uni<CostByModel> byModel(@jakarta.ws.rs.BeanParam CommonParams p, @Context HttpHeaders headers) {
        return service.costByModel(principal.tenant(headers), p.from, p.to, p.filters());
    }
}
