package io.llmobservatory.query.auth;

import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST request needs a key: {@code query} scope to read, {@code admin} for {@code /api/v1/admin/…}. Health,
 * metrics and the OpenAPI document ({@code /q/…}) are not REST resources and stay open for probes and scrapers.
 */
public class AuthFilter {
    private final KeyVerifier verifier;
    private final CurrentPrincipal current;

    public AuthFilter(KeyVerifier verifier, CurrentPrincipal current) {
        this.verifier = verifier;
        this.current = current;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request) {
        Scope needed = request.getUriInfo().getPath().startsWith("/api/v1/admin") ? Scope.ADMIN : Scope.QUERY;
        String token = ApiKeys.fromHeaders(request.getHeaderString("Authorization"),
                request.getHeaderString("x-api-key"));
        return verifier.verify(token).invoke(p -> current.set(p.require(needed))).replaceWithVoid();
    }
}
