package io.llmobservatory.enrich.admin;

import io.llmobservatory.enrich.cost.PriceOverride;
import io.llmobservatory.enrich.cost.PriceOverrides;
import io.llmobservatory.enrich.cost.PriceResolver;
import io.llmobservatory.enrich.cost.PriceSet;
import io.llmobservatory.enrich.cost.Price;
import io.llmobservatory.enrich.storage.PriceOverrideRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Operator prices: overrides that win over the catalogs for the fields they set, and a lookup that says which
 * price a call would get and why.
 */
@Path("/admin/v1/prices")
@Produces(MediaType.APPLICATION_JSON)
public class PriceAdminResource {
    private final PriceOverrideRepository repository;
    private final PriceOverrides overrides;
    private final PriceResolver resolver;

    public PriceAdminResource(PriceOverrideRepository repository, PriceOverrides overrides, PriceResolver resolver) {
        this.repository = repository;
        this.overrides = overrides;
        this.resolver = resolver;
    }

    /** The body of {@code PUT /overrides/{id}}; prices in USD per million tokens. */
    public record OverrideRequest(String tenant, String provider, String model, String modelRegex, Instant validFrom,
                                  Instant validTo, BigDecimal inputMtok, BigDecimal outputMtok,
                                  BigDecimal cacheReadMtok, BigDecimal cacheWriteMtok, BigDecimal reasoningMtok,
                                  String note) {
    }

    /** What {@code GET /lookup} answers; prices USD per million tokens at the base tier. */
    public record Lookup(String provider, String model, String tenant, Instant at, boolean found, boolean overridden,
                         String version, String entry, BigDecimal inputMtok, BigDecimal outputMtok,
                         BigDecimal cacheReadMtok, BigDecimal cacheWriteMtok, BigDecimal reasoningMtok) {
    }

    @GET
    @Path("/catalogs")
    public List<String> catalogs() {
        return resolver.versions();
    }

    @GET
    @Path("/overrides")
    public Uni<List<PriceOverride>> list() {
        return overrides.reload();
    }

    @PUT
    @Path("/overrides/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<PriceOverride> put(@PathParam("id") String id, OverrideRequest body) {
        if (body == null) {
            throw new IllegalArgumentException("a JSON body with the override's model and prices is required");
        }
        PriceOverride override = new PriceOverride(id, blank(body.tenant()), blank(body.provider()), blank(body.model()),
                blank(body.modelRegex()), body.validFrom(), body.validTo(), body.inputMtok(), body.outputMtok(),
                body.cacheReadMtok(), body.cacheWriteMtok(), body.reasoningMtok(), body.note(), null).validated();
        return repository.upsert(override).chain(overrides::reload)
                .map(all -> all.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow());
    }

    @DELETE
    @Path("/overrides/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return repository.delete(id).call(overrides::reload).map(existed -> {
            if (!existed) {
                throw new NotFoundException("no price override with id " + id);
            }
            return Response.noContent().build();
        });
    }

    @GET
    @Path("/lookup")
    public Lookup lookup(@QueryParam("provider") String provider, @QueryParam("model") String model,
                         @QueryParam("tenant") String tenant, @QueryParam("at") String at) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        Instant time = at == null || at.isBlank() ? Instant.now() : Instant.parse(at);
        return resolver.resolve(tenant, blank(provider), model, time)
                .map(r -> new Lookup(provider, model, tenant, time, true, r.overridden(), r.version(), r.entry(),
                        base(r.prices().input()), base(r.prices().output()), base(r.prices().cacheRead()),
                        base(r.prices().cacheWrite()), base(r.prices().reasoning())))
                .orElse(new Lookup(provider, model, tenant, time, false, false, null, null, null, null, null, null, null));
    }

    private static BigDecimal base(Price p) {
        return p == null ? null : p.base();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
