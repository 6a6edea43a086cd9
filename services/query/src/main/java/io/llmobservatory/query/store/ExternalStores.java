package io.llmobservatory.query.store;

import io.llmobservatory.query.config.QueryConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Tempo and Loki as configured ({@code observatory.query.stores.*}); their blocking HTTP calls run off the event loop. */
@ApplicationScoped
public class ExternalStores {
    private final String traces;
    private final String logs;
    private final TempoClient tempo;
    private final LokiClient loki;

    public ExternalStores(QueryConfig config) {
        QueryConfig.Stores s = config.stores();
        this.traces = s.traces().toLowerCase(Locale.ROOT);
        this.logs = s.logs().toLowerCase(Locale.ROOT);
        if (!Set.of("postgres", "tempo", "both").contains(traces)) {
            throw new IllegalArgumentException("observatory.query.stores.traces must be postgres, tempo or both, got " + traces);
        }
        if (!Set.of("postgres", "loki").contains(logs)) {
            throw new IllegalArgumentException("observatory.query.stores.logs must be postgres or loki, got " + logs);
        }
        this.tempo = traces.equals("postgres") ? null : new TempoClient(s.tempoUrl().orElseThrow(() ->
                new IllegalArgumentException("observatory.query.stores.traces=" + traces + " needs observatory.query.stores.tempo-url")),
                s.timeout());
        this.loki = logs.equals("postgres") ? null : new LokiClient(s.lokiUrl().orElseThrow(() ->
                new IllegalArgumentException("observatory.query.stores.logs=loki needs observatory.query.stores.loki-url")),
                s.timeout(), s.lokiMaxEntries());
    }

    public boolean tracesInPostgres() {
        return !traces.equals("tempo");
    }

    public Optional<TempoClient> tempo() {
        return Optional.ofNullable(tempo);
    }

    public Optional<LokiClient> loki() {
        return Optional.ofNullable(loki);
    }

    /** Runs a blocking store call on a worker thread. */
    public static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
