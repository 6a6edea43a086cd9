package io.llmobservatory.query.rest;

import io.llmobservatory.query.service.InvalidParameterException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Refuses text no stored string can hold (U+0000: PostgreSQL text and jsonb refuse it) in any query or path
 * parameter of any endpoint, with 400 naming the parameter, before a filter, a TraceQL or LogQL string reaches a
 * store and comes back as a store error.
 */
public class ParameterTextFilter {
    @ServerRequestFilter
    public void refuseNul(ContainerRequestContext request) {
        check(request.getUriInfo().getQueryParameters(), "query parameter");
        check(request.getUriInfo().getPathParameters(), "path parameter");
    }

    private static void check(MultivaluedMap<String, String> parameters, String kind) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            if (e.getKey().indexOf('\0') >= 0) {
                throw new InvalidParameterException("a " + kind + " name holds a NUL byte (U+0000)");
            }
            for (String value : e.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    throw new InvalidParameterException(kind + " " + e.getKey()
                            + " holds a NUL byte (U+0000), which no stored text can contain");
                }
            }
        }
    }
}
