package io.llmobservatory.query.rest;

import io.llmobservatory.query.auth.CurrentPrincipal;
import io.llmobservatory.query.service.QueryService;
import io.llmobservatory.query.store.TempoJson;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tempo's query paths on the query service, so Grafana's Tempo data source can point here in PostgreSQL-only mode:
 * {@code /api/echo}, {@code /api/traces/<id>} (Tempo's v1 JSON) and {@code /api/search} (TraceQL). Tenant in
 * {@code X-Scope-OrgID}.
 */
@Path("/api")
public class TempoCompatResource {
    private final QueryService service;
    private final CurrentPrincipal principal;

    public TempoCompatResource(QueryService service, CurrentPrincipal principal) {
        this.service = service;
        this.principal = principal;
    }

    @GET
    @Path("/echo")
    @Produces(MediaType.TEXT_PLAIN)
    public String echo() {
        return "echo";
    }

    @GET
    @Path("/traces/{traceId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> trace(@PathParam("traceId") String traceId, @Context HttpHeaders headers) {
        return service.traceSpans(principal.tenant(headers), traceId)
                .map(spans -> Response.ok(TempoJson.trace(spans), MediaType.APPLICATION_JSON).build());
    }

    /** {@code start}/{@code end} in Unix seconds, as Tempo takes them. */
    @GET
    @Path("/search")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> search(@QueryParam("q") String q, @QueryParam("start") String startText,
                                           @QueryParam("end") String endText, @QueryParam("limit") String limitText,
                                           @Context HttpHeaders headers) {
        Long start = Params.longInteger("start", startText);
        Long end = Params.longInteger("end", endText);
        Integer limit = Params.integer("limit", limitText);
        String from = start == null ? null : instant("start", start).toString();
        String to = end == null ? null : instant("end", end).toString();
        return service.searchTraces(principal.tenant(headers), q, from, to, limit).map(hits -> {
            List<Map<String, Object>> traces = hits.stream().map(h -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("traceID", h.traceId());
                t.put("rootServiceName", h.rootServiceName());
                t.put("rootTraceName", h.rootTraceName());
                t.put("startTimeUnixNano", Long.toString(h.startTimeUnixNano()));
                t.put("durationMs", h.durationMs());
                return t;
            }).toList();
            return Map.of("traces", traces, "metrics", Map.of());
        });
    }

    private static Instant instant(String name, long seconds) {
        try {
            return Instant.ofEpochSecond(seconds);
        } catch (java.time.DateTimeException e) {
            throw new io.llmobservatory.query.service.InvalidParameterException(name
                    + " must be Unix seconds within years -1000000000 to 1000000000, got " + seconds);
        }
    }
}
