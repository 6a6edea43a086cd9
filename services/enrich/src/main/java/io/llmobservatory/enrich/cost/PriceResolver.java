package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.config.EnrichConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which prices apply to a call: the first catalog that knows the model (an imported LiteLLM file when configured,
 * then the built-in genai-prices feed), with the operator's override for it laid over the fields it sets.
 */
@ApplicationScoped
public class PriceResolver {
    private static final Logger LOG = Logger.getLogger(PriceResolver.class);

    /**
     * Prices for a call, whether an override shaped them, and where they came from; {@code provider} is the
     * provider of the catalog entry that matched (null when only an override priced the call).
     */
    public record Resolved(PriceSet prices, boolean overridden, String version, String entry, String provider) {
    }

    private final List<PriceSource> catalogs;
    private final PriceOverrides overrides;

    @Inject
    public PriceResolver(EnrichConfig config, PriceOverrides overrides) {
        this(catalogs(config), overrides);
    }

    public PriceResolver(List<PriceSource> catalogs, PriceOverrides overrides) {
        this.catalogs = List.copyOf(catalogs);
        this.overrides = overrides;
    }

    private static List<PriceSource> catalogs(EnrichConfig config) {
        List<PriceSource> list = new ArrayList<>();
        config.prices().litellmFile().ifPresent(file -> {
            LiteLlmCatalog litellm = LiteLlmCatalog.load(Path.of(file));
            LOG.infof("imported %d model prices from LiteLLM file %s (%s)", litellm.size(), file, litellm.version());
            list.add(litellm);
        });
        list.add(GenAiPricesCatalog.load(config.prices().resource(), config.prices().version()));
        return list;
    }

    /** The catalog versions in use, most preferred first. */
    public List<String> versions() {
        return catalogs.stream().map(PriceSource::version).toList();
    }

    public Optional<Resolved> resolve(String tenant, String provider, String model, Instant at) {
        Optional<PriceMatch> base = Optional.empty();
        for (PriceSource catalog : catalogs) {
            base = catalog.find(provider, model, at);
            if (base.isPresent()) {
                break;
            }
        }
        Optional<PriceOverride> override = overrides == null ? Optional.empty() : overrides.find(tenant, provider, model, at);
        if (override.isPresent()) {
            PriceSet prices = base.map(PriceMatch::prices).orElse(PriceSet.EMPTY).overlay(override.get().prices());
            String entry = "override/" + override.get().id() + base.map(b -> " over " + b.entry()).orElse("");
            return Optional.of(new Resolved(prices, true, override.get().version(), entry,
                    base.map(PriceMatch::provider).orElse(null)));
        }
        return base.map(b -> new Resolved(b.prices(), false, b.version(), b.entry(), b.provider()));
    }
}
