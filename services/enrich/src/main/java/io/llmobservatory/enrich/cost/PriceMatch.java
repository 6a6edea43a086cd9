package io.llmobservatory.enrich.cost;

/**
 * Prices found for a call, and where they came from.
 *
 * @param version the catalog version (e.g. {@code genai-prices@47df840a}, {@code litellm@<sha256 prefix>},
 *                {@code override:<id>@<updated>})
 * @param entry   the catalog entry, e.g. {@code openai/gpt-4o}
 * @param provider the catalog's provider of the entry (its id, e.g. {@code openai}), or null
 */
public record PriceMatch(PriceSet prices, String version, String entry, String provider) {
}
