package io.llmobservatory.query.auth;

import io.llmobservatory.query.config.QueryConfig;
import io.llmobservatory.query.repository.ApiKeyRepository;
import io.llmobservatory.query.service.InvalidParameterException;
import io.llmobservatory.query.service.NotFoundException;
import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Principal;
import io.llmobservatory.shared.auth.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * API keys: create (the token is in the answer once and never again), list, revoke. Needs the {@code admin} scope.
 * A tenant's admin key manages that tenant's keys only; the operator key manages every tenant's.
 */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {
    private final ApiKeyRepository keys;
    private final CurrentPrincipal current;
    private final KeyVerifier verifier;
    private final QueryConfig config;

    public KeyAdminResource(ApiKeyRepository keys, CurrentPrincipal current, KeyVerifier verifier, QueryConfig config) {
        this.keys = keys;
        this.current = current;
        this.verifier = verifier;
        this.config = config;
    }

    /** The body of {@code POST /api/v1/admin/keys}. */
    public record CreateKey(String tenant, String name, List<String> scopes) {
    }

    /** A key as listed: never its token or hash. */
    public record KeyView(String id, String tenant, String name, List<String> scopes, Instant createdAt,
                          String createdBy, Instant revokedAt) {
        static KeyView of(ApiKeyRepository.StoredKey k) {
            return new KeyView(k.id(), k.tenant(), k.name(), k.scopes().stream().map(Scope::wire).toList(),
                    k.createdAt(), k.createdBy(), k.revokedAt());
        }
    }

    /** A new key: {@code token} is shown only here. */
    public record CreatedKey(String id, String token, String tenant, String name, List<String> scopes) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(CreateKey body, @Context HttpHeaders headers) {
        if (body == null || body.scopes() == null || body.scopes().isEmpty()) {
            throw new InvalidParameterException("'scopes' is required: one or more of ingest, query, admin");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : body.scopes()) {
            try {
                scopes.add(Scope.parse(s));
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException(e.getMessage());
            }
        }
        String name = body.name() == null ? "" : body.name().trim();
        if (name.length() > 200) {
            throw new InvalidParameterException("'name' must be at most 200 characters");
        }
        String tenant = tenant(body.tenant(), headers);
        Principal caller = current.get();
        ApiKeys.NewKey key = ApiKeys.generate();
        return keys.insert(key.id(), tenant, name, scopes, key.secretSha256(), caller.keyId())
                .map(v -> Response.status(201).header("Location", "/api/v1/admin/keys/" + key.id())
                        .entity(new CreatedKey(key.id(), key.token(), tenant, name,
                                scopes.stream().map(Scope::wire).toList())).build());
    }

    /** The caller's tenant's keys; the operator sees every tenant's, or one with {@code tenant}. */
    @GET
    public Uni<List<KeyView>> list(@QueryParam("tenant") String tenant,
                                   @QueryParam("includeRevoked") String includeRevokedText,
                                   @Context HttpHeaders headers) {
        String scope = current.get().anyTenant() && (tenant == null || tenant.isBlank())
                && headers.getHeaderString(config.tenant().header()) == null ? null : tenant(tenant, headers);
        boolean includeRevoked = io.llmobservatory.query.rest.Params.flag("includeRevoked", includeRevokedText);
        return keys.list(scope, includeRevoked).map(list -> list.stream().map(KeyView::of).toList());
    }

    /** Revokes a key at once in this service and within the verification cache's lifetime (30 s) elsewhere. */
    @DELETE
    @Path("/{id}")
    public Uni<KeyView> revoke(@PathParam("id") String id) {
        Principal caller = current.get();
        String tenant = caller.anyTenant() ? null : caller.tenant();
        return keys.revoke(id, tenant).map(found -> {
            verifier.invalidateAll();
            // Another tenant's key is reported absent, not forbidden: its existence is not the caller's business.
            return KeyView.of(found.orElseThrow(() -> new NotFoundException("no API key " + id)));
        });
    }

    private String tenant(String named, HttpHeaders headers) {
        String header = named != null && !named.isBlank() ? named
                : headers.getHeaderString(config.tenant().header());
        try {
            return current.get().tenant(header, "tenant", config.tenant().defaultTenant());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(e.getMessage());
        }
    }
}
