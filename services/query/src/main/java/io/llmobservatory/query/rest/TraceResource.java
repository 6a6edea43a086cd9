package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.model.TraceView;
import io.llmobservatory.query.service.QueryService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Traces by id. */
@Path("/api/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
public class TraceResource {
    private final QueryService service;
    private final CurrentPrincipal principal;

    public TraceResource(QueryService service, CurrentPrincipal principal) {
        this.service = service;
        this.principal = principal;
    }

    /** TraceQL search (answered by Tempo): trace ids with their root service, name, start and duration. */
    @GET
    public Uni<java.util.List<io.llmobservatory.query.store.TempoClient.TraceSummary>> search(
            @jakarta.ws.rs.QueryParam("q") String q, @jakarta.ws.rs.QueryParam("from") String from,
            @jakarta.ws.rs.QueryParam("to") String to, @jakarta.ws.rs.QueryParam("limit") Integer limit,
            @Context HttpHeaders headers) {
        return service.searchTraces(principal.tenant(headers), q, from, to, limit);
    }

    @GET
    @Path("/{traceId}")
    public Uni<TraceView> trace(@PathParam("traceId") String traceId, @Context HttpHeaders headers) {
        return service.trace(principal.tenant(headers), traceId);
    }

    /** The trace's LLM calls: tokens by kind, cost and its price source, TTFT and tokens/s, per span id. */
    @GET
    @Path("/{traceId}/calls")
    public Uni<java.util.List<io.llmobservatory.query.model.TraceCall>> calls(@PathParam("traceId") String traceId,
                                                                               @Context HttpHeaders headers) {
        return service.traceCalls(principal.tenant(headers), traceId);
    }
}
