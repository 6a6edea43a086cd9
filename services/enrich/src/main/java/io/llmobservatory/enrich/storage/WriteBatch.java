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
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's rows as {@link TraceRepository#write} stores them: which tables it writes ({@code spans}, {@code calls})
 * and the statement's parameters (the tenant, then column arrays). {@link #encode()} and {@link #decode(byte[])} are
 * the format enrich's write-ahead log keeps them in: a version byte, the two flags, then each parameter as a type
 * tag and its value (strings as UTF-8 with their length; -1 for a null).
 */
public record WriteBatch(boolean spans, boolean calls, Tuple rows) {
    /** Nothing to store. */
    public static final WriteBatch EMPTY = new WriteBatch(false, false, null);

    private static final byte VERSION = 1;
    private static final byte NULL = 0, STRING = 1, STRINGS = 2, BYTES = 3, INTS = 4, LONGS = 5, BOOLS = 6, DOUBLES = 7;

    public boolean isEmpty() {
        return !spans && !calls;
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
