package io.llmobservatory.query.rest;

import io.llmobservatory.query.model.ApiError;
import io.llmobservatory.shared.auth.AuthFailure;
import io.llmobservatory.query.service.InvalidParameterException;
import io.llmobservatory.query.service.NotFoundException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure becomes the same JSON body: 400 bad parameter, 404 absent, 503 store unavailable. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidParameterException e) {
        return json(400, "bad_request", e.getMessage());
    }

    /** 401 says nothing about why (no key, unknown, revoked); 403 names the missing scope or the tenant mismatch. */
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
    public Response store(io.llmobservatory.query.store.StoreException e) {
        LOG.warnf("external store unavailable: %s", e.getMessage());
        return Response.fromResponse(json(503, "unavailable", e.getMessage())).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response alerting(io.llmobservatory.query.client.AlertingClient.AlertingUnavailableException e) {
        LOG.warnf("alerting unavailable: %s", e.getMessage());
        return Response.fromResponse(json(503, "unavailable", e.getMessage())).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, status == 404 ? "not_found" : status < 500 ? "bad_request" : "error", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (e instanceof PgException || e instanceof io.vertx.core.VertxException
                || e instanceof java.net.ConnectException) {
            LOG.warnf("store unavailable: %s", e.getMessage());
            return Response.fromResponse(json(503, "unavailable", "the store is unavailable; retry later"))
                    .header("Retry-After", "5").build();
        }
        LOG.error("query failed", e);
        return json(500, "internal", "internal error; see the query service log");
    }

    private static Response json(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, error, message)).build();
    }
}
