package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.rules.RuleSyntaxException;
import io.llmobservatory.shared.auth.AuthFailure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** An invalid rule is the client's mistake: 400 with the rule and field at fault; 401/403 for keys. */
public class RuleErrors {
    @ServerExceptionMapper
    public Response invalid(RuleSyntaxException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 400, "error", "Bad Request", "message", e.getMessage())).build();
    }

    /** 401 says nothing about why (no key, unknown, revoked); 403 says the operator key is needed. */
    @ServerExceptionMapper
    public Response auth(AuthFailure e) {
        int status = switch (e.kind()) {
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case UNAVAILABLE -> 503;
        };
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", e.kind().name().toLowerCase(java.util.Locale.ROOT),
                        "message", e.getMessage()));
        if (status == 401) {
            r.header("WWW-Authenticate", "Bearer");
        } else if (status == 503) {
            r.header("Retry-After", "5");
        }
        return r.build();
    }
}
