package io.llmobservatory.alerting.auth;

import io.llmobservatory.shared.auth.ApiKeys;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.auth.KeyVerifier;
import io.llmobservatory.shared.auth.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The alerting API (rules, alerts, silences) is the operator's: rules name any tenant and alerts cover every
 * tenant and the pipeline's health, so a tenant's key — even with the admin scope — gets 403 here.
 */
public class OperatorAuthFilter {
    private final KeyVerifier verifier;

    public OperatorAuthFilter(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request) {
        String token = ApiKeys.fromHeaders(request.getHeaderString("Authorization"),
                request.getHeaderString("x-api-key"));
        return verifier.verify(token).invoke(p -> {
            if (!p.require(Scope.ADMIN).anyTenant()) {
                throw AuthFailure.denied("the alerting API is managed with the operator key");
            }
        }).replaceWithVoid();
    }
}
