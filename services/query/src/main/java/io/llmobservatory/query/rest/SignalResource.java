package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.model.GenAiMetricRow;
import io.llmobservatory.query.model.LogView;
import io.llmobservatory.query.service.QueryService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** GenAI metrics and logs. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SignalResource {
    private final QueryService service;
    private final CurrentPrincipal principal;

    public SignalResource(QueryService service, CurrentPrincipal principal) {
        this.service = service;
        this.principal = principal;
    }

    /** GenAI metrics (gen_ai.*) aggregated per metric, model, provider, operation and token type. */
    @GET
    @Path("/metrics/genai")
    public Uni<List<GenAiMetricRow>> genAi(@QueryParam("from") String from, @QueryParam("to") String to,
                                           @QueryParam("metric") String metric, @QueryParam("model") String model,
                                           @QueryParam("provider") String provider, @Context HttpHeaders headers) {
        return service.genAiMetrics(principal.tenant(headers), from, to, metric, model, provider);
    }

    /** Log records, newest first; {@code severity} is a minimum severity number (9 = INFO, 17 = ERROR). */
    @GET
    @Path("/logs")
    public Uni<List<LogView>> logs(@QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("severity") String severity, @QueryParam("service") String service,
                                   @QueryParam("limit") String limit, @Context HttpHeaders headers) {
        return this.service.logs(principal.tenant(headers), from, to, Params.integer("severity", severity), service,
                Params.integer("limit", limit));
    }
}
