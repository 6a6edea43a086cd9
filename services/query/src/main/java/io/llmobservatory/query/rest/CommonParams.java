package io.llmobservatory.query.rest;

import io.llmobservatory.query.service.Filters;
import jakarta.ws.rs.QueryParam;

/** The window, filters and page every analytics endpoint takes. */
public class CommonParams {
    @QueryParam("from")
    public String from;
    @QueryParam("to")
    public String to;
    @QueryParam("model")
    public String model;
    @QueryParam("provider")
    public String provider;
    @QueryParam("service")
    public String service;
    @QueryParam("user")
    public String user;
    @QueryParam("session")
    public String session;
    @QueryParam("status")
    public String status;
    @QueryParam("responseModel")
    public String responseModel;
    @QueryParam("limit")
    public String limit;
    @QueryParam("offset")
    public String offset;

    Integer limit() {
        return Params.integer("limit", limit);
    }

    Integer offset() {
        return Params.integer("offset", offset);
    }

    Filters filters() {
        return Filters.of(model, provider, service, user, session, status, responseModel);
    }
}
