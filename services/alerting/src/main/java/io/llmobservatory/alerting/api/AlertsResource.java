package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.eval.Alert;
import io.llmobservatory.alerting.eval.AlertingEngine;
import io.llmobservatory.alerting.eval.Transition;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Active alerts (pending and firing, with since-when) and the history of state changes. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {
    private final AlertingEngine engine;

    public AlertsResource(AlertingEngine engine) {
        this.engine = engine;
    }

    @GET
    public List<Alert> active() {
        return engine.evaluator().active();
    }

    /** State changes, newest first ({@code limit} 1-1000, default 100). */
    @GET
    @Path("/history")
    public List<Transition> history(@QueryParam("limit") String limit) {
        // Read as text: JAX-RS answers a number it cannot convert (an overflow, 1e3) with 404 and no name.
        int l;
        try {
            l = limit == null || limit.isBlank() ? 100 : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("limit must be an integer between 1 and 1000, got '" + limit + "'");
        }
        if (l < 1 || l > 1000) {
            throw new BadRequestException("limit must be between 1 and 1000, got " + l);
        }
        return engine.evaluator().history(l);
    }
}
