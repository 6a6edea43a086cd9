package io.llmobservatory.query.auth;

import io.llmobservatory.query.config.QueryConfig;
import io.llmobservatory.query.service.InvalidParameterException;
import io.llmobservatory.shared.auth.Principal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The caller of the current request, set by {@link AuthFilter}; resources ask it for the tenant they act on, so a
 * tenant key can only ever name its own tenant.
 */
@RequestScoped
public class CurrentPrincipal {
    private final QueryConfig config;
    private Principal principal;

    public CurrentPrincipal(QueryConfig config) {
        this.config = config;
    }

    void set(Principal principal) {
        this.principal = principal;
    }

    public Principal get() {
        if (principal == null) {
            throw new IllegalStateException("no principal: the request did not pass the auth filter");
        }
        return principal;
    }

    /** The tenant this request acts on (see {@link Principal#tenant}); a malformed tenant header is a 400. */
    public String tenant(HttpHeaders headers) {
        String name = config.tenant().header();
        try {
            return get().tenant(headers.getHeaderString(name), name, config.tenant().defaultTenant());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(e.getMessage());
        }
    }
}
