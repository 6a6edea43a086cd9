package io.llmobservatory.sdk.sampling;

/**
 * A uniform number in [0, 1) from a hex trace id (its last 14 hex digits, the random part of W3C trace ids), mixed
 * with the splitmix64 finaliser. The same function as the suite's enrich sampler, so every service with the SDK and
 * the suite itself keep the same traces at a given rate.
 */
public final class TraceIdHash {
    private static final double SCALE = 0x1p-56;

    private TraceIdHash() {
    }

    public static double of(String traceIdHex) {
        if (traceIdHex.length() < 14) {
            return 0;
        }
        long bits = Long.parseUnsignedLong(traceIdHex, traceIdHex.length() - 14, traceIdHex.length(), 16);
        bits ^= bits >>> 30;
        bits *= 0xbf58476d1ce4e5b9L;
        bits ^= bits >>> 27;
        bits *= 0x94d049bb133111ebL;
        bits ^= bits >>> 31;
        return (bits >>> 8) * SCALE;
    }
}
