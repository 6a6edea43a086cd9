package io.llmobservatory.enrich.admin;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.format.DateTimeParseException;

/** 400 for bad input, 404 for absent, in one JSON shape. */
public class AdminErrorMappers {

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return json(400, "bad_request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response badTime(DateTimeParseException e) {
        return json(400, "bad_request", "times must be RFC 3339, e.g. 2026-11-27T10:00:00Z: " + e.getMessage());
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
