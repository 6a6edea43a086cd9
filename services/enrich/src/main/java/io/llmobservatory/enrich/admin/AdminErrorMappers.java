package io.llmobservatory.enrich.admin;

import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.shared.model.ApiError;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.format.DateTimeParseException;

/** 400 for bad input, 401/403 for keys, 404 for absent, in one JSON shape. */
public class AdminErrorMappers {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AdminErrorMappers.class);

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
        return json(status, ApiError.name(status), e.getMessage());
    }

    /** A value PostgreSQL refuses as a data exception (SQLSTATE class 22) is the client's; other store errors 503. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg) {
                if (pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                    return json(400, ApiError.name(400), "a value the store cannot take (" + pg.getErrorMessage()
                            + ", SQLSTATE " + pg.getSqlState() + ")");
                }
                return Response.fromResponse(json(503, ApiError.name(503), "the store is unavailable; retry later"))
                        .header("Retry-After", "5").build();
            }
        }
        LOG.error("admin request failed", e);
        return json(500, ApiError.name(500), "internal error; see the enrich service log");
    }

    static Response json(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, error, message)).build();
    }
}
