package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The prices of one model: a list of price sets with optional constraints (a start date, or a daily UTC time
 * window); as in genai-prices, the last set whose constraint holds at the call's time applies.
 */
record ModelPrices(String providerId, String modelId, MatchClause match, List<Conditional> prices) {

    record Conditional(LocalDate startDate, LocalTime startTime, LocalTime endTime, PriceSet prices) {
        boolean appliesAt(Instant time) {
            if (startDate != null && time.atZone(ZoneOffset.UTC).toLocalDate().isBefore(startDate)) {
                return false;
            }
            if (startTime != null && endTime != null) {
                LocalTime t = time.atZone(ZoneOffset.UTC).toLocalTime();
                boolean inside = startTime.isBefore(endTime)
                        ? !t.isBefore(startTime) && t.isBefore(endTime)
                        : !t.isBefore(startTime) || t.isBefore(endTime);
                return inside;
            }
            return true;
        }
    }

    /** Prices in USD per million tokens; a tiered price applies its tier's rate to all tokens. */
    record PriceSet(Price input, Price output, Price cacheRead, Price cacheWrite) {
    }

    record Tier(long start, BigDecimal price) {
    }

    record Price(BigDecimal base, List<Tier> tiers) {
        /** The rate for a call with this many input tokens ("cliff" tiers: crossing a tier prices all tokens at it). */
        BigDecimal rateFor(long inputTokens) {
            BigDecimal rate = base;
            for (Tier tier : tiers) {
                if (inputTokens > tier.start()) {
                    rate = tier.price();
                }
            }
            return rate;
        }

        static Price parse(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isNumber()) {
                return new Price(node.decimalValue(), List.of());
            }
            List<Tier> tiers = new ArrayList<>();
            node.path("tiers").forEach(t -> tiers.add(new Tier(t.get("start").asLong(), t.get("price").decimalValue())));
            tiers.sort((a, b) -> Long.compare(a.start(), b.start()));
            return new Price(node.get("base").decimalValue(), List.copyOf(tiers));
        }
    }

    PriceSet pricesAt(Instant time) {
        PriceSet active = null;
        for (Conditional c : prices) {
            if (c.appliesAt(time)) {
                active = c.prices();
            }
        }
        return active;
    }

    static List<Conditional> parsePrices(JsonNode node) {
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
        String t = text.endsWith("Z") ? text.substring(0, text.length() - 1) : text;
        return LocalTime.parse(t);
    }

    private static PriceSet parseSet(JsonNode node) {
        return new PriceSet(Price.parse(node.get("input_mtok")), Price.parse(node.get("output_mtok")),
                Price.parse(node.get("cache_read_mtok")), Price.parse(node.get("cache_write_mtok")));
    }
}
