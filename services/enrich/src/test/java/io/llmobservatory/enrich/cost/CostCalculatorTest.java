package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.enrich.genai.LlmCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Costs from the real genai-prices catalog, worked out by hand from its per-million prices. */
class CostCalculatorTest {
    private static CostCalculator calculator;

    @BeforeAll
    static void loadCatalog() throws Exception {
        try (InputStream in = CostCalculatorTest.class.getClassLoader().getResourceAsStream("prices/genai-prices.json")) {
            calculator = new CostCalculator(new PriceCatalog(new ObjectMapper().readTree(in), "genai-prices@test"));
        }
    }

    @ParameterizedTest(name = "{0} {1} in={2} out={3} cacheRead={4} cacheWrite={5} at {6} -> {7}")
    @CsvSource(nullValues = "null", textBlock = """
            # provider,      model,                       input,   output,  cacheRead, cacheWrite, time,                 expected USD
            # gpt-4o: $2.50 in, $1.25 cached, $10 out per million
            openai,          gpt-4o,                      1000,    500,     null,      null,       2026-11-01T12:00:00Z, 0.0075
            openai,          gpt-4o,                      3000,    1000,    2000,      null,       2026-11-01T12:00:00Z, 0.015
            # the exact response model (dated snapshot) prices like its family
            openai,          gpt-4o-2024-08-06,           1000,    500,     null,      null,       2026-11-01T12:00:00Z, 0.0075
            # claude 3.5 sonnet: $3 in, $0.30 cache read, $3.75 cache write, $15 out
            anthropic,       claude-3-5-sonnet-20241022,  2000,    100,     1000,      null,       2026-11-01T12:00:00Z, 0.0048
            anthropic,       claude-3-5-sonnet-20241022,  2000,    0,       null,      1000,       2026-11-01T12:00:00Z, 0.00675
            # gemini 2.5 pro, tiered at 200k input tokens: all tokens at the tier price above it
            gcp.vertex_ai,   gemini-2.5-pro,              100000,  1000,    null,      null,       2026-11-01T12:00:00Z, 0.135
            gcp.vertex_ai,   gemini-2.5-pro,              250000,  1000,    null,      null,       2026-11-01T12:00:00Z, 0.64
            # o3 price change on 2025-06-10: $10/$40 before, $2/$8 after
            openai,          o3,                          1000,    1000,    null,      null,       2025-05-01T12:00:00Z, 0.05
            openai,          o3,                          1000,    1000,    null,      null,       2025-07-01T12:00:00Z, 0.01
            # deepseek: peak prices 00:30-16:30 UTC, off-peak otherwise
            deepseek,        deepseek-chat,               1000000, 1000000, null,      null,       2026-11-01T10:00:00Z, 1.37
            deepseek,        deepseek-chat,               1000000, 1000000, null,      null,       2026-11-01T20:00:00Z, 0.685
            # Azure OpenAI has no gpt-4o of its own: falls back to OpenAI's prices
            azure.ai.openai, gpt-4o,                      1000,    500,     null,      null,       2026-11-01T12:00:00Z, 0.0075
            # no provider reported: the model name alone finds OpenAI
            null,            gpt-4o-mini,                 10000,   2000,    null,      null,       2026-11-01T12:00:00Z, 0.0027
            # output only
            openai,          gpt-4o,                      null,    1000,    null,      null,       2026-11-01T12:00:00Z, 0.01
            """)
    void pricesCallsToTheMicroDollar(String provider, String model, Long input, Long output, Long cacheRead,
                                     Long cacheWrite, Instant time, String expected) {
        Cost cost = calculator.price(call(provider, model, input, output, cacheRead, cacheWrite, time));
        assertThat(cost.priced()).isTrue();
        assertThat(cost.total()).isEqualByComparingTo(expected);
        assertThat(cost.input().add(cost.output())).isEqualByComparingTo(cost.total());
        assertThat(cost.source()).startsWith("genai-prices@test:");
    }

    @ParameterizedTest(name = "{0} {1} -> unpriced ({4})")
    @CsvSource(nullValues = "null", textBlock = """
            acme,   acme-llm-7, 10,   10,   model not in price catalog
            openai, gpt-9000,   10,   10,   model not in price catalog
            openai, null,       10,   10,   no model reported
            openai, gpt-4o,     null, null, no token usage reported
            """)
    void unknownModelsAreUnpricedNeverZero(String provider, String model, Long input, Long output, String reason) {
        Cost cost = calculator.price(call(provider, model, input, output, null, null, Instant.now()));
        assertThat(cost.priced()).isFalse();
        assertThat(cost.total()).isNull();
        assertThat(cost.source()).contains(reason);
    }

    @Test
    void sourceNamesTheCatalogEntry() {
        Cost cost = calculator.price(call("openai", "gpt-4o-2024-08-06", 1L, 1L, null, null, Instant.now()));
        assertThat(cost.source()).isEqualTo("genai-prices@test:openai/gpt-4o");
    }

    @Test
    void cacheCountsLargerThanInputAreClampedNotNegative() {
        Cost cost = calculator.price(call("openai", "gpt-4o", 100L, 0L, 500L, null, Instant.now()));
        // all 100 input tokens read from cache at $1.25/M
        assertThat(cost.total()).isEqualByComparingTo("0.000125");
    }

    static LlmCall call(String provider, String model, Long input, Long output, Long cacheRead, Long cacheWrite,
                        Instant time) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        return new LlmCall("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", nanos, 1_000_000L, "svc",
                provider, "chat", model, null, input, output, cacheRead, cacheWrite, null, List.of(), 0, null,
                null, null, "otel-genai");
    }
}
