package io.llmobservatory.query.model;

/**
 * One GenAI metric aggregated per model, provider, operation and token type over a window. Delta points are summed;
 * for cumulative series the latest point in the window counts (its total since the series started).
 */
public record GenAiMetricRow(String metric, String model, String provider, String operation, String tokenType,
                             long points, long count, double sum) {
}
