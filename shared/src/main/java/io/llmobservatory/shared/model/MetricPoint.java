package io.llmobservatory.shared.model;

import java.util.List;
import java.util.Map;

/**
 * One data point of one metric, flattened with its metric, resource and scope, faithful to every OTLP type.
 * {@code type} is gauge, sum, histogram, exponential_histogram or summary; fields that do not apply to the type
 * are null. {@code temporality}: 0 unspecified, 1 delta, 2 cumulative.
 *
 * @param exponential for exponential histograms: scale, zeroCount, zeroThreshold, positive/negative {offset, bucketCounts}
 * @param quantiles   for summaries: [{quantile, value}]
 * @param exemplars   [{timeUnixNano, value, traceId, spanId, filteredAttributes}]
 */
public record MetricPoint(
        String name,
        String description,
        String unit,
        String type,
        int temporality,
        Boolean monotonic,
        long startTimeUnixNano,
        long timeUnixNano,
        Attributes attributes,
        Double doubleValue,
        Long longValue,
        Long count,
        Double sum,
        Double min,
        Double max,
        List<Long> bucketCounts,
        List<Double> explicitBounds,
        Map<String, Object> exponential,
        List<Map<String, Object>> quantiles,
        List<Map<String, Object>> exemplars,
        int flags,
        String serviceName,
        Attributes resourceAttributes,
        InstrumentationScope scope) {
}
