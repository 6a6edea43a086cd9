package io.llmobservatory.shared.auth;

import io.llmobservatory.shared.model.TenantIds;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling: a tenant's API key (its tenant and scopes), the operator key (every scope, any tenant named in the
 * tenant header), or — with auth switched off — anonymous (every scope, tenant from the header as before).
 */
public record Principal(String keyId, String tenant, Set<Scope> scopes, Kind kind) {
    public enum Kind { TENANT_KEY, OPERATOR, ANONYMOUS }

    public static final Principal ANONYMOUS = new Principal("anonymous", null, EnumSet.allOf(Scope.class), Kind.ANONYMOUS);
    public static final Principal OPERATOR = new Principal("operator", null, EnumSet.allOf(Scope.class), Kind.OPERATOR);

    public static Principal tenantKey(String keyId, String tenant, Set<Scope> scopes) {
        return new Principal(keyId, tenant, scopes.isEmpty() ? Set.of() : EnumSet.copyOf(scopes), Kind.TENANT_KEY);
    }

    /** This principal, or PERMISSION_DENIED when it lacks {@code scope}. */
    public Principal require(Scope scope) {
        if (!scopes.contains(scope)) {
            throw AuthFailure.denied("this API key lacks the '" + scope.wire() + "' scope");
        }
        return this;
    }

    /** Whether this principal may act on every tenant (the operator, or anyone when auth is off). */
    public boolean anyTenant() {
        return kind != Kind.TENANT_KEY;
    }

    /**
     * The tenant a request acts on. A tenant key acts on its own tenant: a tenant header naming another is
     * PERMISSION_DENIED. The operator and anonymous callers act on the tenant the header names, else
     * {@code defaultTenant}. A malformed header is an IllegalArgumentException (a 400).
     */
    public String tenant(String header, String headerName, String defaultTenant) {
        String named = header == null || header.isBlank() ? null : header.trim();
        if (named != null && !TenantIds.isValid(named)) {
            throw new IllegalArgumentException(headerName + " must be " + TenantIds.RULE);
        }
        if (kind == Kind.TENANT_KEY) {
            if (named != null && !named.equals(tenant)) {
                throw AuthFailure.denied("this API key belongs to another tenant than " + headerName + " names");
            }
            return tenant;
        }
        return named != null ? named : defaultTenant;
    }
}
