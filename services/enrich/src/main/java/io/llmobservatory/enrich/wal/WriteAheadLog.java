package io.llmobservatory.enrich.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of opaque records in segment files ({@code <first offset, 20 digits>.wal}), each record an int
 * length, the CRC-32C of the length and the payload (so a zero-filled tail is not a run of empty records), and the
 * payload. Offsets are logical: a segment's first offset plus the
 * position in it. Appends are written and fsynced by one thread in groups (every append waiting when a group starts
 * goes into it: one {@code force} for all of them), and complete only once their group is on disk. {@link #read}
 * returns durable records from an offset; {@link #checkpoint} records how far they have been applied, persists it
 * ({@code checkpoint}, written to a temporary file and renamed) and deletes segments wholly before it. On opening,
 * the log is read from the checkpoint and cut at the first record that is incomplete or fails its CRC (a write torn
 * by a crash); everything after the checkpoint is read again by whoever applies it, so applying must be idempotent.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final int HEADER = 8;
    private static final String SUFFIX = ".wal";

    /** A record and the offset after it (where the next starts). */
    public record Record(long offset, long next, byte[] payload) {
    }

    /** An append refused because the log holds {@code limit} bytes not yet applied. */
    public static final class FullException extends IOException {
        FullException(long backlog, long limit) {
            super("the write-ahead log holds " + backlog + " bytes not yet applied (limit " + limit + ")");
        }
    }

    private record Pending(byte[] payload, CompletableFuture<Long> done) {
    }

    private final Path dir;
    private final long segmentBytes;
    private final long maxBacklog;
    /** First offset of each segment to its file. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Object durableChanged = new Object();
    /** The segment being appended to; the writer thread's after {@link #open}. */
    private volatile FileChannel current;
    private long currentBase;
    /** Offset after the last record on disk; written by the writer thread only. */
    private volatile long durableEnd;
    private volatile long checkpointed;
    private volatile boolean closed;
    /** Set when a write or fsync failed: every later append fails too (until the log is reopened). */
    private volatile IOException failure;

    private WriteAheadLog(Path dir, long segmentBytes, long maxBacklog) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBacklog = maxBacklog;
        this.writer = new Thread(this::writeLoop, "wal-writer");
        this.writer.setDaemon(true);
    }

    /** Opens (or creates) the log in {@code dir}: recovers its checkpoint and cuts a torn tail. */
    public static WriteAheadLog open(Path dir, long segmentBytes, long maxBacklog) throws IOException {
        Files.createDirectories(dir);
        WriteAheadLog log = new WriteAheadLog(dir, segmentBytes, maxBacklog);
        log.recover();
        log.writer.start();
        return log;
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                String digits = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
                if (digits.length() == 20 && digits.chars().allMatch(Character::isDigit)) {
                    segments.put(Long.parseLong(digits), p);
                }
            });
        }
        long first = segments.isEmpty() ? 0 : segments.firstKey();
        long checkpoint = readCheckpoint(first);
        // Segments wholly before the checkpoint are applied; deleting them may not have happened before a crash.
        while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= checkpoint) {
            Files.deleteIfExists(segments.pollFirstEntry().getValue());
        }
        if (segments.isEmpty()) {
            currentBase = checkpoint;
            segments.put(currentBase, segmentPath(currentBase));
            current = FileChannel.open(segments.get(currentBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            forceDirectory(); // the new segment's entry is durable before anything in it is acknowledged
            checkpointed = checkpoint;
            durableEnd = checkpoint;
            return;
        }
        // Records before the checkpoint are applied: they are not read again, so they are not checked. From it on,
        // every segment is scanned for its last whole record; the first torn or corrupt one is cut, and what follows.
        checkpoint = Math.max(checkpoint, segments.firstKey());
        long end = -1;
        List<Long> bases = new ArrayList<>(segments.keySet());
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            long from = Math.max(0, checkpoint - base);
            long valid = validLength(segments.get(base), from);
            end = base + valid;
            try (FileChannel ch = FileChannel.open(segments.get(base), StandardOpenOption.WRITE)) {
                if (ch.size() > valid) {
                    ch.truncate(valid);
                    ch.force(true);
                    for (long later : bases.subList(i + 1, bases.size())) {
                        Files.deleteIfExists(segments.remove(later));
                    }
                    break;
                }
            }
            if (i + 1 < bases.size() && bases.get(i + 1) != end) {
                throw new IOException("write-ahead log segment " + segments.get(bases.get(i + 1))
                        + " does not start where " + segments.get(base) + " ends (" + end + ")");
            }
        }
        currentBase = segments.lastKey();
        current = FileChannel.open(segments.get(currentBase), StandardOpenOption.WRITE);
        current.position(current.size());
        if (checkpoint > end) {
            // The log ends before its checkpoint (it was cut): appends go on from the end, so must reading.
            checkpoint = end;
            writeCheckpoint(checkpoint);
        }
        checkpointed = checkpoint;
        durableEnd = end;
    }

    /** The checkpoint file's offset; {@code fallback} (read everything again) when there is none or it is damaged. */
    private long readCheckpoint(long fallback) {
        Path cp = dir.resolve("checkpoint");
        try {
            return Files.exists(cp) ? Long.parseLong(Files.readString(cp, StandardCharsets.US_ASCII).strip()) : fallback;
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    /** The length of the segment up to the end of its whole, intact records from {@code from} (a record's start). */
    private static long validLength(Path segment, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = Math.min(from, size);
            byte[] payload;
            while ((payload = readRecord(ch, pos, size)) != null) {
                pos += HEADER + payload.length;
            }
            return pos;
        }
    }

    /**
     * The payload of the record at {@code pos} in a segment, or null if it is not whole before {@code limit} (a
     * length past it or negative) or fails its CRC.
     */
    private static byte[] readRecord(FileChannel ch, long pos, long limit) throws IOException {
        if (pos + HEADER > limit) {
            return null;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, pos);
        int len = header.getInt(0);
        if (len < 0 || pos + HEADER + len > limit) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(ch, payload, pos + HEADER);
        return crc(payload.array()) == header.getInt(4) ? payload.array() : null;
    }

    private Path segmentPath(long base) {
        return dir.resolve(String.format("%020d", base) + SUFFIX);
    }

    /**
     * Appends a record; the future completes with the offset after it once it is on disk, or fails: with
     * {@link FullException} when the log's backlog is over its limit, with an IOException when the disk refused.
     */
    public CompletableFuture<Long> append(byte[] payload) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long backlog = durableEnd - checkpointed;
        synchronized (queue) {
            appendUnderLock(payload, done, backlog);
        }
        return done;
    }

    /** Holding the queue's lock, so no append is queued after {@link #close()} has marked the log closed. */
    private void appendUnderLock(byte[] payload, CompletableFuture<Long> done, long backlog) {
        if (closed) {
            done.completeExceptionally(new IOException("the write-ahead log is closed"));
        } else if (failure != null) {
            done.completeExceptionally(new IOException("the write-ahead log failed (" + failure.getMessage()
                    + "); restart enrich to recover it", failure));
        } else if (backlog >= maxBacklog) {
            done.completeExceptionally(new FullException(backlog, maxBacklog));
        } else {
            queue.add(new Pending(payload, done));
        }
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group);
                writeGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IOException("the write-ahead log is closed"));
        }
    }

    private void writeGroup(List<Pending> group) {
        if (failure != null) {
            for (Pending p : group) {
                p.done().completeExceptionally(failure);
            }
            return;
        }
        long[] ends = new long[group.size()];
        try {
            long pos = durableEnd;
            for (int i = 0; i < group.size(); i++) {
                byte[] payload = group.get(i).payload();
                if (pos > currentBase && pos - currentBase + HEADER + payload.length > segmentBytes) {
                    roll(pos);
                }
                ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
                buf.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
                while (buf.hasRemaining()) {
                    current.write(buf);
                }
                pos += HEADER + payload.length;
                ends[i] = pos;
            }
            current.force(false);
            synchronized (durableChanged) {
                durableEnd = pos;
                durableChanged.notifyAll();
            }
        } catch (IOException | RuntimeException | Error e) {
            // Nothing of this group is acknowledged. Part of it may be in the file, so no later group may follow it:
            // the log fails stop (as PostgreSQL does on a failed fsync); reopening cuts a torn record.
            failure = e instanceof IOException io ? io : new IOException(e);
            for (Pending p : group) {
                p.done().completeExceptionally(failure);
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(ends[i]);
        }
    }

    /** Starts a new segment at {@code base} (the previous one is already forced, or is forced with the group). */
    private void roll(long base) throws IOException {
        current.force(false);
        current.close();
        currentBase = base;
        Path path = segmentPath(base);
        current = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        synchronized (segments) {
            segments.put(base, path);
        }
        // The new file's directory entry must be durable before a record in it is acknowledged.
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for this
        }
    }

    /** The write or fsync failure that stopped the log, or null while it works. */
    public IOException failure() {
        return failure;
    }

    /** The offset after the last durable record. */
    public long end() {
        return durableEnd;
    }

    /** How far the log has been applied, as last {@link #checkpoint checkpointed} or recovered. */
    public long checkpointed() {
        return checkpointed;
    }

    /** Waits up to {@code millis} for a record to become durable at or after {@code offset}; true if one is. */
    public boolean awaitEnd(long offset, long millis) throws InterruptedException {
        synchronized (durableChanged) {
            if (durableEnd <= offset && !closed) {
                durableChanged.wait(millis);
            }
            return durableEnd > offset;
        }
    }

    /** Up to {@code max} durable records from {@code offset} (a record's start), in order. */
    public List<Record> read(long offset, int max) throws IOException {
        List<Record> out = new ArrayList<>();
        long end = durableEnd;
        Path segment;
        long base;
        synchronized (segments) {
            var entry = segments.floorEntry(offset);
            if (entry == null) {
                throw new IOException("offset " + offset + " is before the write-ahead log's first segment");
            }
            base = entry.getKey();
            segment = entry.getValue();
            Long nextBase = segments.higherKey(base);
            if (nextBase != null && offset >= nextBase) {
                return out;
            }
            if (nextBase != null && nextBase <= end) {
                end = nextBase; // this segment is whole; the caller reads the next from nextBase
            }
        }
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long pos = offset;
            while (pos < end && out.size() < max) {
                byte[] payload = readRecord(ch, pos - base, end - base);
                if (payload == null) {
                    throw new IOException("write-ahead log record at " + pos + " is cut short or fails its checksum");
                }
                out.add(new Record(pos, pos + HEADER + payload.length, payload));
                pos += HEADER + payload.length;
            }
        }
        return out;
    }

    /**
     * Records that everything before {@code offset} is applied: deletes the segments wholly before it (first, so a full
     * disk cannot keep them), then writes the checkpoint to a temporary file, fsyncs it and renames it. A crash
     * between the two leaves an older checkpoint, so more is applied again: nothing is lost.
     */
    public synchronized void checkpoint(long offset) throws IOException {
        if (offset <= checkpointed) {
            return;
        }
        List<Path> done = new ArrayList<>();
        synchronized (segments) {
            while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= offset) {
                done.add(segments.pollFirstEntry().getValue());
            }
        }
        for (Path p : done) {
            Files.deleteIfExists(p);
        }
        writeCheckpoint(offset);
        checkpointed = offset;
    }

    private void writeCheckpoint(long offset) throws IOException {
        Path tmp = dir.resolve("checkpoint.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(Long.toString(offset).getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory();
    }

    /** Stops the writer once the appends already queued are written; later appends fail. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (durableChanged) {
            durableChanged.notifyAll();
        }
        if (!writer.isAlive()) {
            try {
                current.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("write-ahead log ends inside a record at " + pos);
            }
            pos += n;
        }
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        int n = payload.length;
        crc.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        crc.update(payload);
        return (int) crc.getValue();
    }
}
