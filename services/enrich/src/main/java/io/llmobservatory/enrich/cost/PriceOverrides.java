package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.enrich.storage.PriceOverrideRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator override layer, held in memory and reloaded from the database periodically (and at once after a
 * change through this replica's admin API), so pricing never waits on a query. Replicas converge within the
 * refresh interval.
 */
@ApplicationScoped
public class PriceOverrides {
    private static final Logger LOG = Logger.getLogger(PriceOverrides.class);

    private record Compiled(PriceOverride override, Pattern regex) {
    }

    private final PriceOverrideRepository repository;
    private final Vertx vertx;
    private final EnrichConfig config;
    private volatile List<Compiled> overrides = List.of();

    public PriceOverrides(PriceOverrideRepository repository, Vertx vertx, EnrichConfig config) {
        this.repository = repository;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        reload().await().indefinitely();
        vertx.setPeriodic(config.prices().overrideRefresh().toMillis(),
                id -> reload().subscribe().with(x -> { }, f -> LOG.warnf("price overrides not reloaded: %s", f.getMessage())));
    }

    public Uni<List<PriceOverride>> reload() {
        return repository.findAll().invoke(list -> overrides = list.stream()
                .map(o -> new Compiled(o, o.modelRegex() == null ? null : Pattern.compile(o.modelRegex())))
                .toList()).map(list -> list);
    }

    public List<PriceOverride> all() {
        return overrides.stream().map(Compiled::override).toList();
    }

    /** The override for a call: a tenant's own wins over a global one; among equals the latest updated. */
    Optional<PriceOverride> find(String tenant, String provider, String model, Instant at) {
        if (model == null) {
            return Optional.empty();
        }
        PriceOverride best = null;
        for (Compiled c : overrides) {
            PriceOverride o = c.override();
            if (!o.appliesTo(tenant, provider, model, at, c.regex())) {
                continue;
            }
            if (best == null || (best.tenant() == null && o.tenant() != null)
                    || ((best.tenant() == null) == (o.tenant() == null) && later(o, best))) {
                best = o;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean later(PriceOverride a, PriceOverride b) {
        return a.updatedAt() != null && (b.updatedAt() == null || a.updatedAt().isAfter(b.updatedAt()));
    }
}
