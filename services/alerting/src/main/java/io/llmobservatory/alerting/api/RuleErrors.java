package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.rules.RuleSyntaxException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** An invalid rule is the client's mistake: 400 with the rule and field at fault. */
public class RuleErrors {
    @ServerExceptionMapper
    public Response invalid(RuleSyntaxException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 400, "error", "Bad Request", "message", e.getMessage())).build();
    }
}
