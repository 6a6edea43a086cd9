package io.llmobservatory.query.repository;

import java.util.Map;
import java.util.TreeMap;

/**
 * A latency distribution read from the histogram rollups ({@code llm_calls_latency_1h/_1d}, V6): counts per bin of
 * the SQL function {@code latency_bin}, where bin i holds durations in (2^(i/8), 2^((i+1)/8)] ms (the OpenTelemetry
 * exponential histogram at scale 3) and bin -32768 holds zero durations.
 *
 * <p>Percentiles follow {@code percentile_cont}: the value at fractional rank q * (n - 1), interpolated linearly
 * between the two neighbouring ranks; each rank's value is taken as its bin's geometric midpoint, which is within
 * 2^(1/16) - 1 (4.4 %) of every value in the bin, so the interpolated percentile is within 4.4 % of the exact one.
 */
final class LatencyHistogram {
    static final int ZERO_BIN = -32768;
    static final int BINS_PER_DOUBLING = 8;
    /** The largest relative difference from the exact percentile. */
    static final double RELATIVE_ERROR = Math.pow(2, 1.0 / (2 * BINS_PER_DOUBLING)) - 1;

    private final TreeMap<Integer, Long> counts = new TreeMap<>();
    private long total;

    void add(int bin, long requests) {
        if (requests > 0) {
            counts.merge(bin, requests, Long::sum);
            total += requests;
        }
    }

    /** Adds a sparse histogram as the rollups store it: bins and their counts, index by index. */
    void add(Short[] bins, Long[] counts) {
        for (int i = 0; i < bins.length; i++) {
            add(bins[i], counts[i]);
        }
    }

    long total() {
        return total;
    }

    /** The q-quantile (0 ≤ q ≤ 1) in milliseconds, or NaN for an empty histogram. */
    double percentileMs(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * (total - 1);
        long below = (long) Math.floor(rank);
        long above = (long) Math.ceil(rank);
        double low = valueAt(below);
        return below == above ? low : low + (rank - below) * (valueAt(above) - low);
    }

    /** The estimated value of the k-th smallest duration (0-based). */
    private double valueAt(long k) {
        long seen = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (k < seen) {
                return midpointMs(e.getKey());
            }
        }
        return midpointMs(counts.lastKey());
    }

    static double midpointMs(int bin) {
        return bin == ZERO_BIN ? 0 : Math.pow(2, (bin + 0.5) / BINS_PER_DOUBLING);
    }
}
