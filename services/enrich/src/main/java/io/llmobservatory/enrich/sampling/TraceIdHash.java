package io.llmobservatory.enrich.sampling;

/**
 * A uniform number in [0, 1) from a hex trace id (its last 14 hex digits, the random part in W3C trace ids),
 * so sampling decisions are consistent per trace across batches and replicas.
 */
final class TraceIdHash {
    private static final double SCALE = 0x1p-56;

    private TraceIdHash() {
    }

    static double of(String traceIdHex) {
        if (traceIdHex.length() < 14) {
            return 0;
        }
        long bits = Long.parseUnsignedLong(traceIdHex.substring(traceIdHex.length() - 14), 16);
        // Mix so ids with structured low digits still spread evenly (splitmix64 finaliser).
        bits ^= bits >>> 30;
        bits *= 0xbf58476d1ce4e5b9L;
        bits ^= bits >>> 27;
        bits *= 0x94d049bb133111ebL;
        bits ^= bits >>> 31;
        return (bits >>> 8) * SCALE;
    }
}
