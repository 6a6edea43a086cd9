package io.llmobservatory.query.rest;

import io.llmobservatory.query.config.QueryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

/** Reads the configured tenant header of a request. */
@ApplicationScoped
public class TenantHeader {
    private final String name;

    public TenantHeader(QueryConfig config) {
        this.name = config.tenant().header();
    }

    String of(HttpHeaders headers) {
        return headers.getHeaderString(name);
    }
}
