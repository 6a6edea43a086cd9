package io.llmobservatory.sdk.sampling;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash must equal the suite's (enrich's TraceIdHash) so both keep the same traces at one rate. */
class TraceIdHashTest {
    @ParameterizedTest
    @CsvSource({"0af7651916cd43dd8448eb211c80319c", "00000000000000000000000000000001", "ffffffffffffffffffffffffffffffff",
            "4bf92f3577b34da6a3ce929d0e0e4736"})
    void matchesTheSuitesDefinition(String traceId) {
        assertThat(TraceIdHash.of(traceId)).isEqualTo(suite(traceId)).isBetween(0.0, 1.0);
    }

    /** services/enrich/.../sampling/TraceIdHash.java, verbatim in substance. */
    private static double suite(String traceIdHex) {
        long bits = Long.parseUnsignedLong(traceIdHex.substring(traceIdHex.length() - 14), 16);
        bits ^= bits >>> 30;
        bits *= 0xbf58476d1ce4e5b9L;
        bits ^= bits >>> 27;
        bits *= 0x94d049bb133111ebL;
        bits ^= bits >>> 31;
        return (bits >>> 8) * 0x1p-56;
    }
}
