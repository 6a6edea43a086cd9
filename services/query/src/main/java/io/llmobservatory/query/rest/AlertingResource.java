package io.llmobservatory.query.rest;

import io.llmobservatory.query.client.AlertingClient;
import io.llmobservatory.query.service.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The alerting service's read API ({@code alerts}, {@code alerts/history}, {@code rules}) on this port, so the console
 * needs one origin: the request goes on with the caller's key and alerting's answer (status and body) comes back
 * unchanged. alerting takes the operator key only, so a tenant's key gets its 403.
 */
@Path("/api/v1/alerting")
@Produces(MediaType.APPLICATION_JSON)
public class AlertingResource {
    private final AlertingClient alerting;

    public AlertingResource(AlertingClient alerting) {
        this.alerting = alerting;
    }

    @GET
    @Path("/{path: .+}")
    public Uni<Response> read(@PathParam("path") String path, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (!AlertingClient.READABLE.contains(path)) {
            throw new NotFoundException("alerting's read API has " + AlertingClient.READABLE + ", not '" + path + "'");
        }
        return alerting.get(path, uri.getRequestUri().getRawQuery(), headers.getHeaderString("Authorization"),
                        headers.getHeaderString("x-api-key"))
                .map(a -> Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.body()).build());
    }
}
