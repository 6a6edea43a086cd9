package io.llmobservatory.enrich.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A batch's rows as {@link TraceRepository#write} stores them: which tables it writes ({@code spans}, {@code calls})
 * and the statement's parameters (the tenant, then column arrays). {@link #encode()} and {@link #decode(byte[])} are
 * the format enrich's write-ahead log keeps them in: a version byte, the two flags, then each parameter as a type
 * tag and its value (strings as UTF-8 with their length; -1 for a null).
 */
public record WriteBatch(boolean spans, boolean calls, Tuple rows) {
    /** Nothing to store. */
    public static final WriteBatch EMPTY = new WriteBatch(false, false, null);

    /** Where the key arrays start (after the tenant), and how many there are; the spans' and calls' follow. */
    private static final int KEYS_AT = 1;
    private static final int KEY_ARRAYS = TraceRepository.KEY_ARRAYS;
    private static final byte VERSION = 1;
    private static final byte NULL = 0, STRING = 1, STRINGS = 2, BYTES = 3, INTS = 4, LONGS = 5, BOOLS = 6, DOUBLES = 7;

    public boolean isEmpty() {
        return !spans && !calls;
    }

    /**
     * One batch holding the rows of {@code batches}, all of one tenant, as writing them one after another would store
     * them: a span's or call's row from the first batch that brings it (the later ones would find it claimed), and its
     * key with the rows all of them bring and the latest time. Fewer, larger statements for the same rows.
     */
    public static WriteBatch merge(List<WriteBatch> batches) {
        List<WriteBatch> some = batches.stream().filter(b -> !b.isEmpty()).toList();
        if (some.size() <= 1) {
            return some.isEmpty() ? EMPTY : some.get(0);
        }
        Object tenant = some.get(0).rows().getValue(0);
        boolean spans = false;
        boolean calls = false;
        for (WriteBatch b : some) {
            if (!tenant.equals(b.rows().getValue(0))) {
                throw new IllegalArgumentException("batches of different tenants cannot be merged");
            }
            spans |= b.spans();
            calls |= b.calls();
        }
        List<Object> values = new ArrayList<>();
        values.add(tenant);
        values.addAll(mergedKeys(some));
        if (spans) {
            values.addAll(mergedSection(some.stream().filter(WriteBatch::spans).toList(), b -> KEYS_AT + KEY_ARRAYS,
                    b -> TraceRepository.SPAN_ARRAYS));
        }
        if (calls) {
            ToIntFunction<WriteBatch> start = b -> KEYS_AT + KEY_ARRAYS + (b.spans() ? TraceRepository.SPAN_ARRAYS : 0);
            values.addAll(mergedSection(some.stream().filter(WriteBatch::calls).toList(), start,
                    b -> b.rows().size() - start.applyAsInt(b)));
        }
        return new WriteBatch(spans, calls, Tuple.wrap(values));
    }

    /** The key arrays (trace id, span id, has a span row, has a call row, start): one entry per span id. */
    private static List<Object> mergedKeys(List<WriteBatch> batches) {
        Map<List<Buffer>, Integer> at = new HashMap<>();
        List<Buffer> trace = new ArrayList<>();
        List<Buffer> span = new ArrayList<>();
        List<Boolean> hasSpan = new ArrayList<>();
        List<Boolean> hasCall = new ArrayList<>();
        List<Long> start = new ArrayList<>();
        for (WriteBatch b : batches) {
            Buffer[] t = (Buffer[]) b.rows().getValue(KEYS_AT);
            Buffer[] s = (Buffer[]) b.rows().getValue(KEYS_AT + 1);
            Boolean[] sp = (Boolean[]) b.rows().getValue(KEYS_AT + 2);
            Boolean[] ca = (Boolean[]) b.rows().getValue(KEYS_AT + 3);
            Long[] st = (Long[]) b.rows().getValue(KEYS_AT + 4);
            for (int i = 0; i < t.length; i++) {
                Integer j = at.putIfAbsent(List.of(t[i], s[i]), trace.size());
                if (j == null) {
                    trace.add(t[i]);
                    span.add(s[i]);
                    hasSpan.add(sp[i]);
                    hasCall.add(ca[i]);
                    start.add(st[i]);
                } else {
                    hasSpan.set(j, hasSpan.get(j) || sp[i]);
                    hasCall.set(j, hasCall.get(j) || ca[i]);
                    start.set(j, Math.max(start.get(j), st[i]));
                }
            }
        }
        return List.of(trace.toArray(Buffer[]::new), span.toArray(Buffer[]::new), hasSpan.toArray(Boolean[]::new),
                hasCall.toArray(Boolean[]::new), start.toArray(Long[]::new));
    }

    /**
     * The column arrays of one section (the spans' or the calls'), whose first two are the trace and span ids: the
     * batches' rows one after another, a row whose ids came before left out.
     */
    private static List<Object> mergedSection(List<WriteBatch> batches, ToIntFunction<WriteBatch> start,
                                              ToIntFunction<WriteBatch> count) {
        int columns = count.applyAsInt(batches.get(0));
        List<List<Object>> kept = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            kept.add(new ArrayList<>());
        }
        Set<List<Buffer>> seen = new HashSet<>();
        for (WriteBatch b : batches) {
            int from = start.applyAsInt(b);
            Buffer[] trace = (Buffer[]) b.rows().getValue(from);
            Buffer[] span = (Buffer[]) b.rows().getValue(from + 1);
            for (int i = 0; i < trace.length; i++) {
                if (seen.add(List.of(trace[i], span[i]))) {
                    for (int c = 0; c < columns; c++) {
                        kept.get(c).add(((Object[]) b.rows().getValue(from + c))[i]);
                    }
                }
            }
        }
        List<Object> arrays = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            WriteBatch first = batches.get(0);
            Class<?> type = first.rows().getValue(start.applyAsInt(first) + c).getClass().getComponentType();
            arrays.add(kept.get(c).toArray((Object[]) Array.newInstance(type, 0)));
        }
        return arrays;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeBoolean(spans);
            out.writeBoolean(calls);
            int n = isEmpty() ? 0 : rows.size();
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                writeValue(out, rows.getValue(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    /** The batch {@link #encode()} wrote; fails with IllegalArgumentException on bytes it did not write. */
    public static WriteBatch decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown write batch version " + version);
            }
            boolean spans = in.readBoolean();
            boolean calls = in.readBoolean();
            int n = in.readInt();
            if (!spans && !calls) {
                return EMPTY;
            }
            List<Object> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(readValue(in));
            }
            return new WriteBatch(spans, calls, Tuple.wrap(values));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated write batch", e);
        }
    }

    private static void writeValue(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (value instanceof String[] a) {
            out.writeByte(STRINGS);
            out.writeInt(a.length);
            for (String s : a) {
                writeString(out, s);
            }
        } else if (value instanceof Buffer[] a) {
            out.writeByte(BYTES);
            out.writeInt(a.length);
            for (Buffer b : a) {
                if (b == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(b.length());
                    out.write(b.getBytes());
                }
            }
        } else if (value instanceof Integer[] a) {
            out.writeByte(INTS);
            out.writeInt(a.length);
            for (Integer v : a) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeInt(v);
                }
            }
        } else if (value instanceof Long[] a) {
            out.writeByte(LONGS);
            out.writeInt(a.length);
            for (Long v : a) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeLong(v);
                }
            }
        } else if (value instanceof Boolean[] a) {
            out.writeByte(BOOLS);
            out.writeInt(a.length);
            for (Boolean v : a) {
                out.writeByte(v == null ? 2 : v ? 1 : 0);
            }
        } else if (value instanceof Double[] a) {
            out.writeByte(DOUBLES);
            out.writeInt(a.length);
            for (Double v : a) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeDouble(v);
                }
            }
        } else {
            throw new IllegalArgumentException("a write batch cannot hold a " + value.getClass().getName());
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return readString(in);
            case STRINGS: {
                String[] a = new String[length(in)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = readString(in);
                }
                return a;
            }
            case BYTES: {
                Buffer[] a = new Buffer[length(in)];
                for (int i = 0; i < a.length; i++) {
                    int len = in.readInt();
                    if (len > in.available()) {
                        throw new IllegalArgumentException("bytes of length " + len + " beyond the write batch");
                    }
                    if (len >= 0) {
                        byte[] b = new byte[len];
                        in.readFully(b);
                        a[i] = Buffer.buffer(b);
                    }
                }
                return a;
            }
            case INTS: {
                Integer[] a = new Integer[length(in)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readBoolean() ? in.readInt() : null;
                }
                return a;
            }
            case LONGS: {
                Long[] a = new Long[length(in)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readBoolean() ? in.readLong() : null;
                }
                return a;
            }
            case BOOLS: {
                Boolean[] a = new Boolean[length(in)];
                for (int i = 0; i < a.length; i++) {
                    byte b = in.readByte();
                    a[i] = b == 2 ? null : b == 1;
                }
                return a;
            }
            case DOUBLES: {
                Double[] a = new Double[length(in)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readBoolean() ? in.readDouble() : null;
                }
                return a;
            }
            default:
                throw new IllegalArgumentException("unknown value tag " + tag + " in a write batch");
        }
    }

    private static int length(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("array length " + n + " beyond the write batch");
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        if (len > in.available()) {
            throw new IllegalArgumentException("string length " + len + " beyond the write batch");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
