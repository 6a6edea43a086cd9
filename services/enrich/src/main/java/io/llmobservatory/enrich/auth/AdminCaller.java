package io.llmobservatory.enrich.auth;

import io.llmobservatory.shared.auth.Principal;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current admin request, set by {@link AdminAuthFilter}. */
@RequestScoped
public class AdminCaller {
    private Principal principal;
    private String named;

    /** {@code named}: the tenant the tenant header names, already checked against the principal; null when none. */
    void set(Principal principal, String named) {
        this.principal = principal;
        this.named = named;
    }

    public Principal get() {
        if (principal == null) {
            throw new IllegalStateException("no principal: the request did not pass the auth filter");
        }
        return principal;
    }

    /**
     * The tenant the request is confined to: a tenant key's own, or the one the tenant header names; null for the
     * operator (or with auth off) naming none: every tenant.
     */
    public String confinedTenant() {
        if (named != null) {
            return named;
        }
        return get().anyTenant() ? null : get().tenant();
    }
}
