package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.config.AlertingConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Silences (the way to acknowledge an alert) pass through to Alertmanager's API v2, which owns them; 503 when no
 * Alertmanager is configured or it cannot be reached.
 */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilencesResource {
    private final AlertingConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SilencesResource(AlertingConfig config) {
        this.config = config;
    }

    @GET
    public Response list() {
        return forward(HttpRequest.newBuilder(uri("/api/v2/silences")).GET());
    }

    /** Body: Alertmanager's postableSilence ({matchers, startsAt, endsAt, createdBy, comment}). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String silence) {
        return forward(HttpRequest.newBuilder(uri("/api/v2/silences")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(silence)));
    }

    @DELETE
    @Path("/{id}")
    public Response expire(@PathParam("id") String id) {
        return forward(HttpRequest.newBuilder(uri("/api/v2/silence/" + URLEncoder.encode(id, StandardCharsets.UTF_8))).DELETE());
    }

    private URI uri(String path) {
        String base = config.delivery().alertmanagerUrl().orElse(null);
        if (base == null) {
            throw new jakarta.ws.rs.ServiceUnavailableException(
                    "no Alertmanager configured (observatory.alerting.delivery.alertmanager-url)");
        }
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private Response forward(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() < 400) {
                return Response.status(r.statusCode()).type(MediaType.APPLICATION_JSON).entity(r.body()).build();
            }
            // Alertmanager's own errors (a JSON string) in the shape every service answers.
            return RuleErrors.json(r.statusCode(), "Alertmanager: " + r.body().strip());
        } catch (IOException e) {
            return unavailable("Alertmanager unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while calling Alertmanager");
        }
    }

    private static Response unavailable(String message) {
        return Response.fromResponse(RuleErrors.json(503, message)).header("Retry-After", "5").build();
    }
}
