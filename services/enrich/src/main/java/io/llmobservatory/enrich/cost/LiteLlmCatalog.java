package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prices imported from a LiteLLM {@code model_prices_and_context_window.json} file: per-token USD prices keyed
 * by model name (optionally {@code provider/model}). {@code *_above_200k_tokens} prices become a tier at 200 K
 * input tokens. LiteLLM keys are exact names, so matching is exact (after the usual prefix stripping).
 */
public final class LiteLlmCatalog implements PriceSource {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final long TIER_200K = 200_000;

    private final Map<String, Entry> byName;
    private final String version;

    private record Entry(String key, String provider, PriceSet prices) {
    }

    LiteLlmCatalog(JsonNode root, String version) {
        this.version = version;
        Map<String, Entry> map = new HashMap<>();
        root.fields().forEachRemaining(field -> {
            JsonNode v = field.getValue();
            if (!v.isObject() || field.getKey().equals("sample_spec")) {
                return;
            }
            PriceSet prices = new PriceSet(
                    price(v, "input_cost_per_token", "input_cost_per_token_above_200k_tokens"),
                    price(v, "output_cost_per_token", "output_cost_per_token_above_200k_tokens"),
                    price(v, "cache_read_input_token_cost", "cache_read_input_token_cost_above_200k_tokens"),
                    price(v, "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_200k_tokens"),
                    price(v, "output_cost_per_reasoning_token", null),
                    price(v, "input_cost_per_audio_token", null),
                    price(v, "output_cost_per_audio_token", null));
            if (prices.pricesTokens()) {
                map.put(field.getKey().toLowerCase(Locale.ROOT),
                        new Entry(field.getKey(), v.path("litellm_provider").asText(null), prices));
            }
        });
        this.byName = Map.copyOf(map);
    }

    /** Reads a LiteLLM price file; its version is {@code litellm@} and the first 12 hex digits of its SHA-256. */
    public static LiteLlmCatalog load(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
            return new LiteLlmCatalog(new ObjectMapper().readTree(bytes), "litellm@" + digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the LiteLLM price file " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return byName.size();
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
        for (String name : names(provider, model)) {
            Entry e = byName.get(name.toLowerCase(Locale.ROOT));
            if (e != null) {
                return Optional.of(new PriceMatch(e.prices(), version, "litellm/" + e.key(), e.provider()));
            }
        }
        return Optional.empty();
    }

    private static List<String> names(String provider, String model) {
        List<String> candidates = new java.util.ArrayList<>();
        if (provider != null) {
            String p = provider.toLowerCase(Locale.ROOT);
            String litellmProvider = switch (p) {
                case "aws.bedrock" -> "bedrock";
                case "azure.ai.openai" -> "azure";
                case "gcp.vertex_ai" -> "vertex_ai";
                case "gcp.gemini" -> "gemini";
                case "mistral_ai" -> "mistral";
                case "x_ai" -> "xai";
                default -> p;
            };
            candidates.add(litellmProvider + "/" + model);
        }
        candidates.addAll(ModelNames.candidates(model));
        return candidates;
    }

    private static Price price(JsonNode entry, String field, String above200k) {
        JsonNode base = entry.get(field);
        if (base == null || !base.isNumber()) {
            return null;
        }
        JsonNode tier = above200k == null ? null : entry.get(above200k);
        List<Price.Tier> tiers = tier != null && tier.isNumber()
                ? List.of(new Price.Tier(TIER_200K, tier.decimalValue().multiply(MILLION)))
                : List.of();
        return new Price(base.decimalValue().multiply(MILLION), tiers);
    }
}
