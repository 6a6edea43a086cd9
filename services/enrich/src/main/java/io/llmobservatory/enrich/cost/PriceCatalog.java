package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.enrich.config.EnrichConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The genai-prices catalog, loaded once. Finds a model's prices the way genai-prices does: the provider by
 * id or its match rule (OpenTelemetry provider names are mapped to catalog ids first), the model by its
 * match rule, then the provider's fallback providers; with no provider, every provider whose model rule
 * matches the model name.
 */
@ApplicationScoped
public class PriceCatalog {
    /** OpenTelemetry {@code gen_ai.provider.name} values whose catalog id differs. */
    private static final Map<String, String> OTEL_PROVIDER_IDS = Map.ofEntries(
            Map.entry("aws.bedrock", "aws"),
            Map.entry("azure.ai.openai", "azure"),
            Map.entry("azure.ai.inference", "azure"),
            Map.entry("az.ai.openai", "azure"),
            Map.entry("az.ai.inference", "azure"),
            Map.entry("gcp.gemini", "google"),
            Map.entry("gcp.vertex_ai", "google"),
            Map.entry("gcp.gen_ai", "google"),
            Map.entry("vertex_ai", "google"),
            Map.entry("gemini", "google"),
            Map.entry("mistral_ai", "mistral"),
            Map.entry("x_ai", "x-ai"),
            Map.entry("xai", "x-ai"));

    private final List<Provider> providers;
    private final String version;

    record Provider(String id, MatchClause providerMatch, MatchClause modelMatch, List<String> fallbacks,
                    List<ModelPrices> models) {
    }

    @Inject
    public PriceCatalog(EnrichConfig config) {
        this(load(config.prices().resource()), config.prices().version());
    }

    PriceCatalog(JsonNode root, String version) {
        this.version = version;
        List<Provider> list = new ArrayList<>();
        for (JsonNode p : root) {
            String id = p.get("id").asText();
            List<ModelPrices> models = new ArrayList<>();
            for (JsonNode m : p.path("models")) {
                models.add(new ModelPrices(id, m.get("id").asText(), MatchClause.parse(m.get("match")),
                        ModelPrices.parsePrices(m.get("prices"))));
            }
            List<String> fallbacks = new ArrayList<>();
            p.path("fallback_model_providers").forEach(f -> fallbacks.add(f.asText()));
            list.add(new Provider(id, MatchClause.parse(p.get("provider_match")), MatchClause.parse(p.get("model_match")),
                    List.copyOf(fallbacks), List.copyOf(models)));
        }
        this.providers = List.copyOf(list);
    }

    /** The catalog version stored with every priced call. */
    public String version() {
        return version;
    }

    /** The prices for a model as named by a provider (which may be null or unknown). */
    Optional<ModelPrices> find(String provider, String model) {
        if (model == null) {
            return Optional.empty();
        }
        Optional<Provider> known = provider == null ? Optional.empty() : provider(provider);
        if (known.isPresent()) {
            Optional<ModelPrices> found = findInProvider(known.get(), model);
            if (found.isPresent()) {
                return found;
            }
            for (String fallback : known.get().fallbacks()) {
                Optional<ModelPrices> viaFallback = byId(fallback).flatMap(p -> findInProvider(p, model));
                if (viaFallback.isPresent()) {
                    return viaFallback;
                }
            }
            return Optional.empty();
        }
        // Unknown or absent provider: trust the model name, first to providers that claim the model family.
        for (Provider p : providers) {
            if (p.modelMatch() != null && p.modelMatch().matches(model)) {
                Optional<ModelPrices> found = findInProvider(p, model);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Provider> provider(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String id = OTEL_PROVIDER_IDS.getOrDefault(lower, lower);
        Optional<Provider> exact = byId(id);
        if (exact.isPresent()) {
            return exact;
        }
        return providers.stream().filter(p -> p.providerMatch() != null && p.providerMatch().matches(id)).findFirst();
    }

    private Optional<Provider> byId(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private static Optional<ModelPrices> findInProvider(Provider provider, String model) {
        for (ModelPrices m : provider.models()) {
            if (m.match().matches(model)) {
                return Optional.of(m);
            }
        }
        String lower = model.toLowerCase(Locale.ROOT);
        if (!lower.equals(model)) {
            for (ModelPrices m : provider.models()) {
                if (m.match().matches(lower)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("price catalog not found on the classpath: " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price catalog " + resource, e);
        }
    }
}
