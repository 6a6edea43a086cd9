package io.llmobservatory.benchmarks;

import io.llmobservatory.enrich.pii.SpanScrubber;
import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiScanner;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.otlp.OtlpMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PII scrubbing throughput on realistic LLM spans (~20 attributes, JSON message content of a few hundred bytes to a
 * few KB, PII in a share of them), in spans per second per thread, through the single-pass scanner the suite uses and
 * through the reference that runs each detector in turn. Run: {@code benchmarks/run PiiScrubBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PiiScrubBenchmark {
    static final int BATCH = 200;

    /** Share of spans whose messages carry PII. */
    @Param({"0.1", "1.0"})
    public double piiShare;

    /** {@code single-pass}: one pass over each string for all detectors; {@code sequential}: each detector in turn. */
    @Param({"sequential", "single-pass"})
    public String scanner;

    private SpanScrubber scrubber;
    private List<SpanRecord> spans;

    @Setup
    public void setUp() {
        scrubber = EnrichParts.scrubber(switch (scanner) {
            case "sequential" -> PiiScanner.sequential(BuiltInDetectors.all());
            case "single-pass" -> PiiScanner.singlePass(BuiltInDetectors.all());
            default -> throw new IllegalArgumentException("scanner: sequential or single-pass, not " + scanner);
        });
        spans = OtlpMapper.toSpans(RealisticSpans.batch(BATCH, piiShare, 42));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<SpanRecord> scrub() {
        return scrubber.scrub("bench", spans);
    }
}
