package io.llmobservatory.shared.otlp;

import com.google.protobuf.ByteString;

import java.util.HexFormat;

/** Trace and span ids: OTLP carries bytes, OTLP/JSON and our APIs carry lower-case hex. */
public final class OtlpIds {
    public static final int TRACE_ID_BYTES = 16;
    public static final int SPAN_ID_BYTES = 8;
    private static final HexFormat HEX = HexFormat.of();

    private OtlpIds() {
    }

    public static String toHex(ByteString id) {
        return id.isEmpty() ? "" : HEX.formatHex(id.toByteArray());
    }

    public static String toHex(byte[] id) {
        return HEX.formatHex(id);
    }

    /** Bytes of a hex id; throws IllegalArgumentException naming the problem when it is not hex. */
    public static byte[] fromHex(String hex) {
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        return HEX.parseHex(hex);
    }

    public static boolean isValidTraceId(ByteString id) {
        return id.size() == TRACE_ID_BYTES && !allZero(id);
    }

    public static boolean isValidSpanId(ByteString id) {
        return id.size() == SPAN_ID_BYTES && !allZero(id);
    }

    /** A trace id given as text: exactly 32 hex digits, not all zero. */
    public static boolean isValidTraceIdHex(String hex) {
        return hex != null && hex.length() == 2 * TRACE_ID_BYTES && isHex(hex) && !hex.chars().allMatch(c -> c == '0');
    }

    public static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
