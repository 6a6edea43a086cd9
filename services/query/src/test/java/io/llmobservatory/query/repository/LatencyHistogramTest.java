package io.llmobservatory.query.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

    /** The SQL function latency_bin (V6), for building histograms here. */
    private static int bin(double ms) {
        return ms <= 0 ? LatencyHistogram.ZERO_BIN : (int) Math.ceil(Math.log(ms) / Math.log(2) * 8) - 1;
    }

    /** PostgreSQL's percentile_cont. */
    private static double exact(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void percentilesAreWithinTheRelativeErrorOfPercentileCont(int seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(seed % 2 == 0 ? 20 : 20_000);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            // log-normal around 1.5 s with a long tail, some sub-millisecond, some zero
            values[i] = random.nextInt(200) == 0 ? 0 : Math.exp(7.3 + 1.4 * random.nextGaussian());
        }
        LatencyHistogram h = new LatencyHistogram();
        Arrays.stream(values).forEach(v -> h.add(bin(v), 1));
        Arrays.sort(values);
        assertThat(h.total()).isEqualTo(n);
        for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
            double truth = exact(values, q);
            double estimate = h.percentileMs(q);
            if (truth == 0) {
                assertThat(estimate).isZero();
            } else {
                assertThat(Math.abs(estimate - truth) / truth).as("q=%s n=%s", q, n)
                        .isLessThanOrEqualTo(LatencyHistogram.RELATIVE_ERROR + 1e-12);
            }
        }
    }

    @Test
    void binsAreLogSpacedEightPerDoubling() {
        assertThat(LatencyHistogram.RELATIVE_ERROR).isBetween(0.0442, 0.0443);
        assertThat(bin(1000)).isEqualTo(79); // (2^(79/8), 2^(80/8)] = (941.6, 1024]
        assertThat(LatencyHistogram.midpointMs(79)).isBetween(941.6, 1024.0);
        assertThat(LatencyHistogram.midpointMs(LatencyHistogram.ZERO_BIN)).isZero();
    }

    @Test
    void emptyAndSingleValueHistograms() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMs(0.5)).isNaN();
        h.add(new Short[] {(short) bin(250), (short) bin(999)}, new Long[] {3L, 0L});
        assertThat(h.total()).isEqualTo(3);
        assertThat(h.percentileMs(0.99)).isEqualTo(LatencyHistogram.midpointMs(bin(250)));
    }
}
