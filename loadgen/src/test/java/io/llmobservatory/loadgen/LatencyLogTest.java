package io.llmobservatory.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** --latency-log: every measured export as one TSV line, in start order, whatever order the workers finished in. */
class LatencyLogTest {

    @Test
    void optionNamesTheFileAndIsOffByDefault() {
        assertThat(LoadGen.Options.parse(new String[] {"--latency-log=/tmp/x.tsv"}).latencyLog()).isEqualTo(Path.of("/tmp/x.tsv"));
        assertThat(LoadGen.Options.parse(new String[] {"--rate=10"}).latencyLog()).isNull();
    }

    @Test
    void exportsAreWrittenInStartOrderWithMillisecondLatencies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latency.tsv");
        LoadGen.writeLatencyLog(List.of(new long[] {1_800_000_000_250L, 12_345, 100},
                new long[] {1_800_000_000_100L, 987_654, 103}, new long[] {1_800_000_000_175L, 7, 50}), file);
        assertThat(Files.readAllLines(file)).containsExactly(
                "start_epoch_ms\tlatency_ms\tspans",
                "1800000000100\t987.654\t103",
                "1800000000175\t0.007\t50",
                "1800000000250\t12.345\t100");
    }
}
