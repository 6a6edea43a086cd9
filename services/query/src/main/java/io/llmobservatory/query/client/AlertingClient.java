package io.llmobservatory.query.client;

import io.llmobservatory.query.config.QueryConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The alerting service's public read API, asked with the caller's own key: what a caller may read is alerting's
 * decision (its API is the operator's), never widened here.
 */
@ApplicationScoped
public class AlertingClient {
    /** The read endpoints passed on; nothing that changes rules or silences. */
    public static final Set<String> READABLE = Set.of("alerts", "alerts/history", "rules");

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    public AlertingClient(QueryConfig config) {
        this.baseUrl = config.console().alertingUrl().replaceAll("/+$", "");
        this.timeout = config.console().alertingTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** alerting's answer to {@code GET /api/v1/<path>?<query>}: its status and JSON body, unchanged. */
    public Uni<Answer> get(String path, String rawQuery, String authorization, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/" + path
                        + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery)))
                .timeout(timeout).header("Accept", "application/json").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                        HttpResponse.BodyHandlers.ofString()))
                .map(r -> new Answer(r.statusCode(), r.body()))
                .onFailure().transform(e -> new AlertingUnavailableException(
                        "the alerting service at " + baseUrl + " did not answer ("
                                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")"));
    }

    public String baseUrl() {
        return baseUrl;
    }

    public record Answer(int status, String body) {
    }

    /** alerting did not answer (down, or another address than configured). */
    public static final class AlertingUnavailableException extends RuntimeException {
        public AlertingUnavailableException(String message) {
            super(message);
        }
    }
}
