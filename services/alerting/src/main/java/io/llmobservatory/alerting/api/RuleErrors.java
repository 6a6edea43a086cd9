package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.rules.RuleSyntaxException;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.model.ApiError;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure in the one JSON shape of all services ({@link ApiError}): an invalid rule is the client's mistake
 * (400 with the rule and field at fault); 401/403 for keys; 503 + Retry-After when Alertmanager is not there.
 */
public class RuleErrors {
    private static final Logger LOG = Logger.getLogger(RuleErrors.class);

    @ServerExceptionMapper
    public Response invalid(RuleSyntaxException e) {
        return json(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return json(400, e.getMessage());
    }

    /** 401 says nothing about why (no key, unknown, revoked); 403 says the operator key is needed. */
    @ServerExceptionMapper
    public Response auth(AuthFailure e) {
        int status = switch (e.kind()) {
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case UNAVAILABLE -> 503;
        };
        Response r = json(status, e.getMessage());
        if (status == 401) {
            return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
        }
        return status == 503 ? Response.fromResponse(r).header("Retry-After", "5").build() : r;
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response r = json(status, e.getMessage());
        return status == 503 ? Response.fromResponse(r).header("Retry-After", "5").build() : r;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return json(500, "internal error; see the alerting service log");
    }

    static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(status, message)).build();
    }
}
