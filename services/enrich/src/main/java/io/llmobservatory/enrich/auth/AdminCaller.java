package io.llmobservatory.enrich.auth;

import io.llmobservatory.shared.auth.Principal;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current admin request, set by {@link AdminAuthFilter}. */
@RequestScoped
public class AdminCaller {
    private Principal principal;

    void set(Principal principal) {
        this.principal = principal;
    }

    public Principal get() {
        if (principal == null) {
            throw new IllegalStateException("no principal: the request did not pass the auth filter");
        }
        return principal;
    }

    /** The tenant a tenant key is confined to; null for the operator (or with auth off): every tenant. */
    public String confinedTenant() {
        return get().anyTenant() ? null : get().tenant();
    }
}
