package io.llmobservatory.enrich.auth;

import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The admin API needs a key with the {@code admin} scope. Recompute is per tenant (a tenant's key re-prices and sees
 * only its own tenant's jobs); the price catalogs and overrides are the operator's (operator key only). The tenant
 * header means what it means on every other API: a tenant key naming another tenant is refused (403); the operator
 * acts on the tenant it names.
 */
public class AdminAuthFilter {
    /** The tenant header of every service (as in Tempo and Loki). */
    static final String TENANT_HEADER = "X-Scope-OrgID";
    private static final String DEFAULT_TENANT = "default";

    private final KeyVerifier verifier;
    private final AdminCaller caller;

    public AdminAuthFilter(KeyVerifier verifier, AdminCaller caller) {
        this.verifier = verifier;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request) {
        boolean operatorOnly = request.getUriInfo().getPath().startsWith("/admin/v1/prices");
        String token = ApiKeys.fromHeaders(request.getHeaderString("Authorization"),
                request.getHeaderString("x-api-key"));
        return verifier.verify(token).invoke(p -> {
            p.require(Scope.ADMIN);
            if (operatorOnly && !p.anyTenant()) {
                throw AuthFailure.denied("price catalogs and overrides are managed with the operator key");
            }
            String header = request.getHeaderString(TENANT_HEADER);
            caller.set(p, header == null || header.isBlank() ? null : p.tenant(header, TENANT_HEADER, DEFAULT_TENANT));
        }).replaceWithVoid();
    }
}
