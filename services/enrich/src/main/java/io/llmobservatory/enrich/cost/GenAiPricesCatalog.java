package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pydantic/genai-prices v2 feed, with its matching and pricing semantics: a provider by id or its match rule
 * (OpenTelemetry provider names are mapped to catalog ids first), then its fallback providers; with no provider,
 * every provider whose model rule matches the model. Within a provider the first model whose match rule holds.
 * A model's prices may be a list of conditional prices: the last one whose constraint holds at the call's time
 * (a start date, or a daily UTC window) applies.
 */
public final class GenAiPricesCatalog implements PriceSource {
    /** OpenTelemetry {@code gen_ai.provider.name} values whose catalog id differs. */
    private static final Map<String, String> OTEL_PROVIDER_IDS = Map.ofEntries(
            Map.entry("aws.bedrock", "aws"),
            Map.entry("azure.ai.openai", "azure"),
            Map.entry("azure.ai.inference", "azure"),
            Map.entry("gcp.gemini", "google"),
            Map.entry("gcp.vertex_ai", "google"),
            Map.entry("gcp.gen_ai", "google"),
            Map.entry("mistral_ai", "mistral"),
            Map.entry("x_ai", "x-ai"));

    private final List<Provider> providers;
    private final String version;

    private record Provider(String id, MatchClause providerMatch, MatchClause modelMatch, List<String> fallbacks,
                            List<Model> models) {
    }

    private record Model(String id, MatchClause match, List<Conditional> prices) {
        PriceSet pricesAt(Instant time) {
            PriceSet active = null;
            for (Conditional c : prices) {
                if (c.appliesAt(time)) {
                    active = c.prices();
                }
            }
            return active;
        }
    }

    private record Conditional(LocalDate startDate, LocalTime startTime, LocalTime endTime, PriceSet prices) {
        boolean appliesAt(Instant time) {
            if (startDate != null && time.atZone(ZoneOffset.UTC).toLocalDate().isBefore(startDate)) {
                return false;
            }
            if (startTime != null && endTime != null) {
                LocalTime t = time.atZone(ZoneOffset.UTC).toLocalTime();
                return startTime.isBefore(endTime)
                        ? !t.isBefore(startTime) && t.isBefore(endTime)
                        : !t.isBefore(startTime) || t.isBefore(endTime);
            }
            return true;
        }
    }

    public GenAiPricesCatalog(JsonNode root, String version) {
        this.version = version;
        List<Provider> list = new ArrayList<>();
        for (JsonNode p : root) {
            String id = p.get("id").asText();
            List<Model> models = new ArrayList<>();
            for (JsonNode m : p.path("models")) {
                models.add(new Model(m.get("id").asText(), MatchClause.parse(m.get("match")), parsePrices(m.get("prices"))));
            }
            List<String> fallbacks = new ArrayList<>();
            p.path("fallback_model_providers").forEach(f -> fallbacks.add(f.asText()));
            list.add(new Provider(id, MatchClause.parse(p.get("provider_match")), MatchClause.parse(p.get("model_match")),
                    List.copyOf(fallbacks), List.copyOf(models)));
        }
        this.providers = List.copyOf(list);
    }

    /** Loads the feed from a classpath resource or, when that does not exist, a file. */
    public static GenAiPricesCatalog load(String location, String version) {
        try (InputStream in = open(location)) {
            return new GenAiPricesCatalog(new ObjectMapper().readTree(in), version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the genai-prices catalog " + location, e);
        }
    }

    private static InputStream open(String location) throws IOException {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(location);
        if (in != null) {
            return in;
        }
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            return Files.newInputStream(file);
        }
        throw new IOException("not on the classpath and not a file: " + location);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Optional<PriceMatch> find(String provider, String model, Instant at) {
        if (model == null) {
            return Optional.empty();
        }
        for (String name : ModelNames.candidates(model)) {
            Optional<PriceMatch> found = findExact(provider, name, at);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<PriceMatch> findExact(String provider, String model, Instant at) {
        Optional<Provider> known = provider == null ? Optional.empty() : provider(provider);
        if (known.isPresent()) {
            Optional<PriceMatch> found = findIn(known.get(), model, at);
            if (found.isPresent()) {
                return found;
            }
            for (String fallback : known.get().fallbacks()) {
                Optional<PriceMatch> viaFallback = byId(fallback).flatMap(p -> findIn(p, model, at));
                if (viaFallback.isPresent()) {
                    return viaFallback;
                }
            }
            return Optional.empty();
        }
        // Unknown or absent provider: trust the model name, asking the providers that claim its family first.
        for (Provider p : providers) {
            if (p.modelMatch() != null && p.modelMatch().matches(model)) {
                Optional<PriceMatch> found = findIn(p, model, at);
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

    private Optional<PriceMatch> findIn(Provider provider, String model, Instant at) {
        String lower = model.toLowerCase(Locale.ROOT);
        for (Model m : provider.models()) {
            if (m.match().matches(model) || (!lower.equals(model) && m.match().matches(lower))) {
                PriceSet prices = m.pricesAt(at);
                return prices == null ? Optional.empty()
                        : Optional.of(new PriceMatch(prices, version, provider.id() + "/" + m.id(), provider.id()));
            }
        }
        return Optional.empty();
    }

    private static List<Conditional> parsePrices(JsonNode node) {
        List<Conditional> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(c -> {
                JsonNode constraint = c.path("constraint");
                out.add(new Conditional(
                        constraint.hasNonNull("start_date") ? LocalDate.parse(constraint.get("start_date").asText()) : null,
                        constraint.hasNonNull("start_time") ? parseTime(constraint.get("start_time").asText()) : null,
                        constraint.hasNonNull("end_time") ? parseTime(constraint.get("end_time").asText()) : null,
                        parseSet(c.get("prices"))));
            });
        } else {
            out.add(new Conditional(null, null, null, parseSet(node)));
        }
        return List.copyOf(out);
    }

    private static LocalTime parseTime(String text) {
        return LocalTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
    }

    private static PriceSet parseSet(JsonNode node) {
        return new PriceSet(price(node.get("input_mtok")), price(node.get("output_mtok")),
                price(node.get("cache_read_mtok")), price(node.get("cache_write_mtok")),
                price(node.get("output_reasoning_mtok")), price(node.get("input_audio_mtok")),
                price(node.get("output_audio_mtok")));
    }

    private static Price price(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Price.flat(node.decimalValue());
        }
        List<Price.Tier> tiers = new ArrayList<>();
        node.path("tiers").forEach(t -> tiers.add(new Price.Tier(t.get("start").asLong(), t.get("price").decimalValue())));
        return new Price(node.get("base").decimalValue(), tiers);
    }
}
