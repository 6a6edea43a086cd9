package io.llmobservatory.enrich.admin;

import io.llmobservatory.shared.auth.AuthFailure;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.format.DateTimeParseException;

/** 400 for bad input, 401/403 for keys, 404 for absent, in one JSON shape. */
public class AdminErrorMappers {

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return json(400, "bad_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response badTime(DateTimeParseException e) {
        return json(400, "bad_request", "times must be RFC 3339, e.g. 2026-11-27T10:00:00Z: " + e.getMessage());
    }

    /** 401 says nothing about why (no key, unknown, revoked); 403 names the missing scope. */
    @ServerExceptionMapper
    public Response auth(AuthFailure e) {
        return switch (e.kind()) {
            case UNAUTHENTICATED -> Response.fromResponse(json(401, "unauthenticated", e.getMessage()))
                    .header("WWW-Authenticate", "Bearer").build();
            case PERMISSION_DENIED -> json(403, "forbidden", e.getMessage());
            case UNAVAILABLE -> Response.fromResponse(json(503, "unavailable", e.getMessage()))
                    .header("Retry-After", "5").build();
        };
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(404, "not_found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, status < 500 ? "bad_request" : "error", e.getMessage());
    }

    static Response json(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, error, message)).build();
    }
}
