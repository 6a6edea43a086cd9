package io.llmobservatory.enrich.admin;

import io.llmobservatory.enrich.auth.AdminCaller;
import io.llmobservatory.enrich.recompute.RecomputeJob;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.auth.Principal;
import io.llmobservatory.enrich.recompute.RecomputeService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Re-price stored calls after a price change; progress and the audit trail of every run. A tenant's admin key
 * re-prices and sees only its own tenant; the operator key any tenant or all of them.
 */
@Path("/admin/v1/recompute")
@Produces(MediaType.APPLICATION_JSON)
public class RecomputeResource {
    private final RecomputeService service;
    private final AdminCaller caller;

    public RecomputeResource(RecomputeService service, AdminCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** The body of {@code POST /admin/v1/recompute}. */
    public record Request(Instant from, Instant to, String tenant, String model) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(Request body, @HeaderParam("X-Requested-By") String requestedBy) {
        if (body == null || body.from() == null || body.to() == null) {
            throw new IllegalArgumentException("'from' and 'to' (RFC 3339) are required");
        }
        String confined = caller.confinedTenant();
        String tenant = blank(body.tenant());
        if (confined != null && tenant != null && !tenant.equals(confined)) {
            throw AuthFailure.denied("'tenant' names another tenant than the API key's or X-Scope-OrgID's");
        }
        String who = (requestedBy == null ? "admin-api" : requestedBy)
                + (caller.get().kind() == Principal.Kind.ANONYMOUS ? "" : " (key " + caller.get().keyId() + ")");
        return service.start(body.from(), body.to(), confined != null ? confined : tenant, blank(body.model()), who)
                .map(job -> Response.accepted(job).header("Location", "/admin/v1/recompute/" + job.id()).build());
    }

    @GET
    @Path("/{id}")
    public Uni<RecomputeJob> job(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job id must be a UUID, got '" + id + "'");
        }
        return service.job(uuid, caller.confinedTenant()).map(job -> job.orElseThrow(() -> new NotFoundException("no recompute job " + id)));
    }

    @GET
    public Uni<List<RecomputeJob>> recent(@QueryParam("limit") String limit) {
        // Read as text: JAX-RS answers a number it cannot convert (an overflow, 1e3) with 404 and no name.
        int n;
        try {
            n = limit == null || limit.isBlank() ? 50 : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("limit must be an integer between 1 and 1000, got '" + limit + "'");
        }
        return service.recent(n, caller.confinedTenant());
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
