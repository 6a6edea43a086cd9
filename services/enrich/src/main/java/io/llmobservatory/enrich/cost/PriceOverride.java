package io.llmobservatory.enrich.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An operator's price for a model, for one tenant or all (tenant null), optionally limited in time. Only the
 * prices it sets override the catalog. Prices in USD per million tokens.
 */
public record PriceOverride(
        String id,
        String tenant,
        String provider,
        String model,
        String modelRegex,
        Instant validFrom,
        Instant validTo,
        BigDecimal inputMtok,
        BigDecimal outputMtok,
        BigDecimal cacheReadMtok,
        BigDecimal cacheWriteMtok,
        BigDecimal reasoningMtok,
        String note,
        Instant updatedAt) {

    /** Checks what a caller sent; throws IllegalArgumentException naming the problem. */
    public PriceOverride validated() {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
            throw new IllegalArgumentException("id must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        if ((model == null || model.isBlank()) && (modelRegex == null || modelRegex.isBlank())) {
            throw new IllegalArgumentException("model or modelRegex must be set");
        }
        if (modelRegex != null) {
            try {
                Pattern.compile(modelRegex);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("modelRegex is not a valid regular expression: " + e.getMessage());
            }
        }
        if (inputMtok == null && outputMtok == null && cacheReadMtok == null && cacheWriteMtok == null
                && reasoningMtok == null) {
            throw new IllegalArgumentException("at least one price (inputMtok, outputMtok, cacheReadMtok, "
                    + "cacheWriteMtok, reasoningMtok) must be set");
        }
        for (BigDecimal p : new BigDecimal[] {inputMtok, outputMtok, cacheReadMtok, cacheWriteMtok, reasoningMtok}) {
            if (p != null && p.signum() < 0) {
                throw new IllegalArgumentException("prices must not be negative");
            }
        }
        if (validFrom != null && validTo != null && !validFrom.isBefore(validTo)) {
            throw new IllegalArgumentException("validFrom must be before validTo");
        }
        return this;
    }

    /** Whether it applies; {@code regex} is {@link #modelRegex} compiled (by the caller, once). */
    boolean appliesTo(String tenant, String provider, String model, Instant at, Pattern regex) {
        if (this.tenant != null && !this.tenant.equals(tenant)) {
            return false;
        }
        if (this.provider != null && (provider == null || !this.provider.equalsIgnoreCase(provider))) {
            return false;
        }
        if ((validFrom != null && at.isBefore(validFrom)) || (validTo != null && !at.isBefore(validTo))) {
            return false;
        }
        boolean exact = this.model != null && this.model.toLowerCase(Locale.ROOT).equals(model.toLowerCase(Locale.ROOT));
        boolean pattern = regex != null && regex.matcher(model).matches();
        return exact || pattern;
    }

    PriceSet prices() {
        return new PriceSet(flat(inputMtok), flat(outputMtok), flat(cacheReadMtok), flat(cacheWriteMtok),
                flat(reasoningMtok));
    }

    String version() {
        return "override:" + id + "@" + (updatedAt == null ? "new" : updatedAt.toString());
    }

    private static Price flat(BigDecimal v) {
        return v == null ? null : Price.flat(v);
    }
}
