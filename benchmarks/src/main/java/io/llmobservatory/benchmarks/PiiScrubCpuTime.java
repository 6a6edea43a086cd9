package io.llmobservatory.benchmarks;

import io.llmobservatory.enrich.pii.SpanScrubber;
import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiScanner;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@link PiiScrubBenchmark}'s work measured in the thread's CPU time instead of wall-clock time, the two scanners
 * alternating in half-second slices: on a machine shared with other work, wall-clock throughput mostly measures the
 * load, CPU time much less so. Prints spans per CPU-second, median of the rounds, per scanner and PII share. Run after
 * {@code benchmarks/run} has built the classpath:
 * {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) io.llmobservatory.benchmarks.PiiScrubCpuTime [rounds]}.
 */
public final class PiiScrubCpuTime {
    private static final long SLICE_NANOS = 500_000_000L;

    private PiiScrubCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("piiShare\tscanner\tmedian_spans_per_cpu_s\tmin\tmax\trounds");
        for (double share : new double[] {0.1, 1.0}) {
            List<SpanRecord> spans = OtlpMapper.toSpans(RealisticSpans.batch(PiiScrubBenchmark.BATCH, share, 42));
            SpanScrubber sequential = EnrichParts.scrubber(PiiScanner.sequential(BuiltInDetectors.all()));
            SpanScrubber singlePass = EnrichParts.scrubber(PiiScanner.singlePass(BuiltInDetectors.all()));
            List<Double> seq = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean seqFirst = r % 2 == 0;
                (seqFirst ? seq : one).add(slice(threads, seqFirst ? sequential : singlePass, spans));
                (seqFirst ? one : seq).add(slice(threads, seqFirst ? singlePass : sequential, spans));
            }
            // the first quarter of the rounds is warm-up
            print(share, "sequential", seq.subList(rounds / 4, rounds));
            print(share, "single-pass", one.subList(rounds / 4, rounds));
        }
    }

    private static double slice(ThreadMXBean threads, SpanScrubber scrubber, List<SpanRecord> spans) {
        long start = threads.getCurrentThreadCpuTime();
        long spent;
        int batches = 0;
        do {
            if (scrubber.scrub("bench", spans).size() != spans.size()) {
                throw new IllegalStateException();
            }
            batches++;
            spent = threads.getCurrentThreadCpuTime() - start;
        } while (spent < SLICE_NANOS);
        return batches * (double) spans.size() / (spent / 1e9);
    }

    private static void print(double share, String scanner, List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%s\t%s\t%.0f\t%.0f\t%.0f\t%d%n", share, scanner, sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }
}
