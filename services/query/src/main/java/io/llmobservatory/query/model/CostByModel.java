package io.llmobservatory.query.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Answer of {@code GET /api/v1/costs/by-model}: one row per model, most expensive first. */
public record CostByModel(Instant from, Instant to, BigDecimal totalCostUsd, List<ModelCost> models) {
}
