package io.llmobservatory.enrich.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log on a real file system: group commit, recovery of torn and corrupt tails, segments and checkpoints. */
class WriteAheadLogTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsAreDurableInOneOrderAndReadBackAfterReopening() throws Exception {
        List<String> appended = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            List<CompletableFuture<Long>> acks = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        String s = "t" + thread + "-" + i;
                        CompletableFuture<Long> ack = log.append(s.getBytes(StandardCharsets.UTF_8));
                        synchronized (acks) {
                            acks.add(ack);
                            appended.add(s);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(payloads(log, 0)).containsExactlyInAnyOrderElementsOf(appended);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, MB, 64 * MB)) {
            assertThat(payloads(reopened, 0)).containsExactlyInAnyOrderElementsOf(appended);
            // In each thread's order, as each thread appended one after the other.
            List<String> read = payloads(reopened, 0);
            assertThat(read.stream().filter(s -> s.startsWith("t3-")).toList())
                    .isEqualTo(appended.stream().filter(s -> s.startsWith("t3-")).sorted((a, b) ->
                            Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3)))).toList());
        }
    }

    @Test
    void aTornOrCorruptTailIsCutOnOpeningAndTheLogGoesOnAfterTheLastWholeRecord() throws Exception {
        for (String damage : List.of("half a header", "half a payload", "a flipped payload byte", "garbage",
                "zeros")) {
            Path d = Files.createDirectories(dir.resolve(damage.replace(' ', '-')));
            long endOfSecond;
            try (WriteAheadLog log = WriteAheadLog.open(d, MB, 64 * MB)) {
                log.append(bytes("first")).get(10, TimeUnit.SECONDS);
                endOfSecond = log.append(bytes("second")).get(10, TimeUnit.SECONDS);
                log.append(bytes("third, which the crash tears")).get(10, TimeUnit.SECONDS);
            }
            Path segment = onlySegment(d);
            try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
                switch (damage) {
                    case "half a header" -> f.setLength(endOfSecond + 5);
                    case "half a payload" -> f.setLength(f.length() - 4);
                    case "a flipped payload byte" -> {
                        f.seek(f.length() - 3);
                        int b = f.read();
                        f.seek(f.length() - 3);
                        f.write(b ^ 0x40);
                    }
                    case "garbage" -> {
                        f.setLength(endOfSecond);
                        f.seek(endOfSecond);
                        f.write(new byte[] {0x7f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x01});
                    }
                    default -> { // a size extended, its blocks never written: zeros
                        f.setLength(endOfSecond);
                        f.setLength(endOfSecond + 4096);
                    }
                }
            }
            try (WriteAheadLog log = WriteAheadLog.open(d, MB, 64 * MB)) {
                assertThat(log.end()).as(damage).isEqualTo(endOfSecond);
                assertThat(payloads(log, 0)).as(damage).containsExactly("first", "second");
                log.append(bytes("fourth")).get(10, TimeUnit.SECONDS);
            }
            try (WriteAheadLog log = WriteAheadLog.open(d, MB, 64 * MB)) {
                assertThat(payloads(log, 0)).as(damage).containsExactly("first", "second", "fourth");
            }
        }
    }

    @Test
    void recordsBeforeTheCheckpointAreNotReadAgainAndADamagedCheckpointMeansReadingEverythingAgain() throws Exception {
        long checkpoint;
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            checkpoint = log.append(bytes("applied")).get(10, TimeUnit.SECONDS);
            log.append(bytes("not yet applied")).get(10, TimeUnit.SECONDS);
            log.checkpoint(checkpoint);
        }
        // A byte of the applied record rots: the record after the checkpoint is intact and still read.
        try (RandomAccessFile f = new RandomAccessFile(onlySegment(dir).toFile(), "rw")) {
            f.seek(10);
            f.write('X');
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            assertThat(log.checkpointed()).isEqualTo(checkpoint);
            assertThat(payloads(log, log.checkpointed())).containsExactly("not yet applied");
        }
        // A checkpoint file a crash left empty: everything the log holds is read again (applying is idempotent).
        Files.writeString(dir.resolve("checkpoint"), "");
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 64 * MB)) {
            assertThat(log.checkpointed()).isZero();
        }
    }

    @Test
    void segmentsRollAndACheckpointDeletesTheAppliedOnesAndIsWhereReadingResumes() throws Exception {
        byte[] record = new byte[1000];
        long checkpoint;
        try (WriteAheadLog log = WriteAheadLog.open(dir, 4096, 64 * MB)) {
            List<Long> ends = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                record[0] = (byte) i;
                ends.add(log.append(record.clone()).get(10, TimeUnit.SECONDS));
            }
            assertThat(segments(dir)).hasSize(3); // 1008 bytes a record: four to a 4096-byte segment
            assertThat(readAll(log, 0)).hasSize(12);
            checkpoint = ends.get(6);
            log.checkpoint(checkpoint);
            assertThat(segments(dir)).hasSize(2);
            assertThat(readAll(log, checkpoint)).extracting(r -> (int) r.payload()[0])
                    .containsExactly(7, 8, 9, 10, 11);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, 4096, 64 * MB)) {
            assertThat(log.checkpointed()).isEqualTo(checkpoint);
            assertThat(readAll(log, log.checkpointed())).extracting(r -> (int) r.payload()[0])
                    .containsExactly(7, 8, 9, 10, 11);
        }
    }

    @Test
    void appendsAreRefusedWhileTheBacklogIsOverItsLimitAndAcceptedOnceCheckpointed() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, MB, 3000)) {
            long end = 0;
            for (int i = 0; i < 3; i++) {
                end = log.append(new byte[1000]).get(10, TimeUnit.SECONDS);
            }
            long full = end;
            assertThatThrownBy(() -> log.append(new byte[10]).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WriteAheadLog.FullException.class)
                    .hasMessageContaining("3024 bytes not yet applied (limit 3000)");
            log.checkpoint(full);
            assertThat(log.append(new byte[10]).get(10, TimeUnit.SECONDS)).isEqualTo(full + 18);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> payloads(WriteAheadLog log, long from) throws IOException {
        return readAll(log, from).stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
    }

    /** Every record from {@code from}, across segments, as an applier reads them. */
    private static List<WriteAheadLog.Record> readAll(WriteAheadLog log, long from) throws IOException {
        List<WriteAheadLog.Record> out = new ArrayList<>();
        long next = from;
        while (next < log.end()) {
            List<WriteAheadLog.Record> some = log.read(next, 3);
            assertThat(some).as("records at %d below the end %d", next, log.end()).isNotEmpty();
            out.addAll(some);
            next = some.get(some.size() - 1).next();
        }
        return out;
    }

    private static List<Path> segments(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private static Path onlySegment(Path d) throws IOException {
        List<Path> all = segments(d);
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
