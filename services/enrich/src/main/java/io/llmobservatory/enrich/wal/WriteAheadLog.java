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
 * length, the CRC-32C of its payload, and the payload. Offsets are logical: a segment's first offset plus the
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
    private FileChannel current;
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
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(p -> {
                String name = p.getFileName().toString();
                segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
            });
        }
        Path cp = dir.resolve("checkpoint");
        long checkpoint = Files.exists(cp) ? Long.parseLong(Files.readString(cp).strip())
                : segments.isEmpty() ? 0 : segments.firstKey();
        // Segments wholly before the checkpoint are applied; deleting them may not have happened before a crash.
        while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= checkpoint) {
            Files.deleteIfExists(segments.pollFirstEntry().getValue());
        }
        if (segments.isEmpty()) {
            checkpoint = Math.max(checkpoint, 0);
            currentBase = checkpoint;
            segments.put(currentBase, segmentPath(currentBase));
            current = FileChannel.open(segments.get(currentBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            checkpointed = checkpoint;
            durableEnd = checkpoint;
            return;
        }
        // Scan every segment for its last whole record: cut the first torn or corrupt one and drop what follows.
        long end = -1;
        List<Long> bases = new ArrayList<>(segments.keySet());
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            long valid = validLength(segments.get(base));
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
        checkpointed = Math.min(Math.max(checkpoint, segments.firstKey()), end);
        durableEnd = end;
    }

    /** The length of the segment's whole, intact records from its start. */
    private static long validLength(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                int len = header.getInt(0);
                if (len < 0 || pos + HEADER + len > size) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(len);
                readFully(ch, payload, pos + HEADER);
                if (crc(payload.array()) != header.getInt(4)) {
                    break;
                }
                pos += HEADER + len;
            }
            return pos;
        }
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
        return done;
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
        } catch (IOException | RuntimeException e) {
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
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos < end && out.size() < max) {
                header.clear();
                readFully(ch, header, pos - base);
                int len = header.getInt(0);
                ByteBuffer payload = ByteBuffer.allocate(len);
                readFully(ch, payload, pos - base + HEADER);
                if (crc(payload.array()) != header.getInt(4)) {
                    throw new IOException("write-ahead log record at " + pos + " fails its checksum");
                }
                out.add(new Record(pos, pos + HEADER + len, payload.array()));
                pos += HEADER + len;
            }
        }
        return out;
    }

    /** Records that everything before {@code offset} is applied; deletes the segments wholly before it. */
    public void checkpoint(long offset) throws IOException {
        if (offset <= checkpointed) {
            return;
        }
        Path tmp = dir.resolve("checkpoint.tmp");
        Files.writeString(tmp, Long.toString(offset), StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
        }
        checkpointed = offset;
        List<Path> done = new ArrayList<>();
        synchronized (segments) {
            while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= offset) {
                done.add(segments.pollFirstEntry().getValue());
            }
        }
        for (Path p : done) {
            Files.deleteIfExists(p);
        }
    }

    /** Stops the writer once the appends already queued are written; later appends fail. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (durableChanged) {
            durableChanged.notifyAll();
        }
        try {
            current.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        crc.update(payload);
        return (int) crc.getValue();
    }
}
