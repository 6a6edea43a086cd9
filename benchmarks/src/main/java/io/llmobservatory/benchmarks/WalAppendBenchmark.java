package io.llmobservatory.benchmarks;

import io.llmobservatory.enrich.wal.WriteAheadLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an acknowledgement through enrich's write-ahead log waits for: an append of one encoded batch until it is
 * fsynced, from 8 threads at once (8 concurrent exports, grouped into shared fsyncs), in the temp directory's file
 * system. Sample-time mode, so the result holds the latency percentiles (p50, p99) the export tail is made of.
 * Run: {@code benchmarks/run WalAppendBenchmark}; {@code -Djava.io.tmpdir=...} to measure another disk.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 10)
@Fork(1)
@Threads(8)
@State(Scope.Benchmark)
public class WalAppendBenchmark {
    /** Bytes of one logged batch: ~280 KB is a 200-span batch of the vs-tempo traffic, encoded. */
    @Param({"4096", "286720"})
    public int batchBytes;

    private Path dir;
    private WriteAheadLog log;
    private byte[] payload;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("wal-bench");
        log = WriteAheadLog.open(dir, 64L << 20, Long.MAX_VALUE);
        payload = new byte[batchBytes];
        ThreadLocalRandom.current().nextBytes(payload);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public long appendUntilDurable() throws Exception {
        long end = log.append(payload).get();
        if (end - log.checkpointed() > (256L << 20)) {
            synchronized (this) {
                log.checkpoint(end); // nothing applies here: keep the disk use bounded
            }
        }
        return end;
    }
}
