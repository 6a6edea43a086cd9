package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.genai.LlmCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Costs from the real genai-prices catalog. {@code cost-cases.csv} holds 70 calls across providers with their
 * expected catalog entry and cost, worked out from the catalog's per-million prices: dated and prefixed model ids,
 * cache reads and writes, reasoning, tiers above 128 K / 200 K / 272 K input tokens, price changes by date and
 * by time of day.
 */
class CostCalculatorTest {
    private static final String VERSION = "genai-prices@test";
    private static CostCalculator calculator;

    @BeforeAll
    static void loadCatalog() {
        calculator = new CostCalculator(new PriceResolver(
                List.of(GenAiPricesCatalog.load("prices/genai-prices.json", VERSION)), null));
    }

    @ParameterizedTest(name = "{0} {1} in={2} out={3} cacheRead={4} cacheWrite={5} reasoning={6} at {7} -> {9}")
    @CsvFileSource(resources = "/cost-cases.csv", nullValues = "null")
    void pricesCallsToTheMicroDollar(String provider, String model, long input, long output, long cacheRead,
                                     long cacheWrite, long reasoning, Instant time, String entry, String expected) {
        Cost cost = calculator.price("t", call(provider, model, input, output, cacheRead, cacheWrite, reasoning, time, null));
        assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
        assertThat(cost.entry()).isEqualTo(entry);
        assertThat(cost.version()).isEqualTo(VERSION);
        assertThat(cost.total()).isEqualByComparingTo(expected);
        assertThat(cost.prompt().add(cost.completion())).isEqualByComparingTo(cost.total());
    }

    @Test
    void theBreakdownPricesEachPartAtItsOwnRate() {
        // gpt-5: $1.25 input, $0.125 cache read, $10 output (reasoning has no price of its own: output rate)
        Cost cost = calculator.price("t", call("openai", "gpt-5", 10_000L, 2_000L, 5_000L, 0L, 1_500L,
                Instant.parse("2026-11-01T12:00:00Z"), null));
        assertThat(cost.input()).isEqualByComparingTo("0.00625");      // 5000 uncached x 1.25
        assertThat(cost.cacheRead()).isEqualByComparingTo("0.000625"); // 5000 x 0.125
        assertThat(cost.cacheWrite()).isEqualByComparingTo("0");
        assertThat(cost.output()).isEqualByComparingTo("0.005");       // 500 x 10
        assertThat(cost.reasoning()).isEqualByComparingTo("0.015");    // 1500 x 10
        assertThat(cost.prompt()).isEqualByComparingTo("0.006875");
        assertThat(cost.completion()).isEqualByComparingTo("0.02");
    }

    @Test
    void audioTokensArePricedAtTheirOwnRateWithinInputAndOutput() {
        // gpt-audio-mini: $0.6 text in, $10 audio in, $2.4 text out, $20 audio out
        LlmCall base = call("openai", "gpt-audio-mini", 120L, 45L, null, null, null,
                Instant.parse("2026-11-01T12:00:00Z"), null);
        Cost cost = calculator.price("t", new LlmCall(base.traceId(), base.spanId(), base.startTimeUnixNano(),
                base.durationNanos(), base.serviceName(), base.provider(), false, base.operation(), base.requestModel(),
                null, 120L, 45L, null, null, null, null, 50L, 30L, List.of(), 0, null, null, null, null, null, null,
                "openinference", List.of()));
        assertThat(cost.input()).isEqualByComparingTo("0.000542");   // 70 x 0.6 + 50 x 10
        assertThat(cost.output()).isEqualByComparingTo("0.000636");  // 15 x 2.4 + 30 x 20
        assertThat(cost.total()).isEqualByComparingTo("0.001178");
    }

    @ParameterizedTest(name = "{0} reported {1} -> {2} (inferred: {3})")
    @CsvSource(nullValues = "null", textBlock = """
            gpt-4o-mini-2024-07-18,           null,      openai,          true
            claude-haiku-4-5-20251001,        null,      anthropic,       true
            gemini-2.5-flash,                 null,      gcp.gemini,      true
            us.anthropic.claude-3-5-haiku-20241022-v1:0, null, anthropic, true
            gpt-4o-mini,                      azure.ai.openai, azure.ai.openai, false
            acme-llm-7,                       null,      null,            false
            """)
    void aProviderNoDialectNamedIsTheCatalogsForTheModel(String model, String reported, String provider,
                                                          boolean inferred) {
        LlmCall call = calculator.withInferredProvider("t", call(reported, model, 10L, 10L, null, null, null,
                Instant.parse("2026-11-01T12:00:00Z"), null));
        assertThat(call.provider()).isEqualTo(provider);
        assertThat(call.providerInferred()).isEqualTo(inferred);
    }

    /**
     * A call is reported under the model asked for and priced by the model that answered: a deployment name the
     * catalogs do not know is priced by its response model, a response model priced apart from the one asked for
     * wins, and a call without an answer falls back on the model asked for. The provider is inferred the same way.
     */
    @ParameterizedTest(name = "asked {0}, answered {1} -> reported {2}, priced {3} {4}")
    @CsvSource(nullValues = "null", textBlock = """
            gpt-4o-mini,  gpt-4o-mini-2024-07-18,            gpt-4o-mini,  openai/gpt-4o-mini,         0.00045
            support-prod, gpt-4o-2024-08-06,                 support-prod, openai/gpt-4o,              0.0075
            gpt-4o-mini,  gpt-4o-mini-2024-07-18.ft-acme-01, gpt-4o-mini,  openai/gpt-4o-mini-2024-07-18.ft-, 0.0009
            gpt-4o-mini,  null,                              gpt-4o-mini,  openai/gpt-4o-mini,         0.00045
            null,         gpt-4o-2024-08-06,                 gpt-4o-2024-08-06, openai/gpt-4o,         0.0075
            """)
    void aCallIsReportedUnderTheModelAskedForAndPricedByTheModelThatAnswered(String requested, String answered,
                                                                             String reported, String entry,
                                                                             String expected) {
        LlmCall base = call(null, requested, 1000L, 500L, null, null, null, Instant.parse("2026-11-01T12:00:00Z"), null);
        LlmCall call = calculator.withInferredProvider("t", new LlmCall(base.traceId(), base.spanId(),
                base.startTimeUnixNano(), base.durationNanos(), base.serviceName(), null, false, base.operation(),
                requested, answered, 1000L, 500L, null, null, null, null, null, null, List.of(), 0, null, null, null,
                null, null, null, "otel-genai", List.of()));
        assertThat(call.model()).isEqualTo(reported);
        assertThat(call.provider()).isEqualTo("openai");
        Cost cost = calculator.price("t", call);
        assertThat(cost.entry()).isEqualTo(entry);
        assertThat(cost.total()).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> unpriced ({4})")
    @CsvSource(nullValues = "null", textBlock = """
            acme,   acme-llm-7, 10,   10,   model not in price catalogs genai-prices@test
            openai, gpt-9000,   10,   10,   model not in price catalogs
            null,   my-finetune,10,   10,   model not in price catalogs
            openai, null,       10,   10,   no model reported
            openai, gpt-4o,     null, null, no token usage reported
            """)
    void unknownModelsAreUnpricedNeverZero(String provider, String model, Long input, Long output, String reason) {
        Cost cost = calculator.price("t", call(provider, model, input, output, null, null, null, Instant.now(), null));
        assertThat(cost.source()).isEqualTo(CostSource.UNPRICED);
        assertThat(cost.total()).isNull();
        assertThat(cost.priced()).isFalse();
        assertThat(cost.entry()).contains(reason);
    }

    @Test
    void aProvidedCostIsUsedWhenWeHaveNoPriceAndSaysSo() {
        Cost cost = calculator.price("t", call("acme", "acme-llm-7", 10L, 10L, null, null, null, Instant.now(),
                new BigDecimal("0.0042")));
        assertThat(cost.source()).isEqualTo(CostSource.PROVIDED);
        assertThat(cost.total()).isEqualByComparingTo("0.0042");
        assertThat(cost.provided()).isEqualByComparingTo("0.0042");
        assertThat(cost.disagrees()).isFalse();
    }

    @ParameterizedTest(name = "ours 0.0075, provided {0} -> disagrees={1}")
    @CsvSource({"0.0075, false", "0.00755, false", "0.0076, true", "0.015, true", "0, true"})
    void aProvidedCostIsKeptBesideOursAndDisagreementFlagged(String provided, boolean disagrees) {
        Cost cost = calculator.price("t", call("openai", "gpt-4o", 1000L, 500L, null, null, null,
                Instant.parse("2026-11-01T12:00:00Z"), new BigDecimal(provided)));
        assertThat(cost.source()).isEqualTo(CostSource.COMPUTED);
        assertThat(cost.total()).isEqualByComparingTo("0.0075");
        assertThat(cost.provided()).isEqualByComparingTo(provided);
        assertThat(cost.disagrees()).isEqualTo(disagrees);
    }

    @Test
    void anImportedLiteLlmCatalogWinsForTheModelsItNames() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"sample_spec": {"input_cost_per_token": 1},
                 "gpt-4o": {"litellm_provider": "openai", "input_cost_per_token": 0.000002,
                            "output_cost_per_token": 0.000008, "cache_read_input_token_cost": 0.000001},
                 "gemini/gemini-2.5-pro": {"litellm_provider": "gemini", "input_cost_per_token": 0.00000125,
                            "output_cost_per_token": 0.00001, "input_cost_per_token_above_200k_tokens": 0.0000025,
                            "output_cost_per_token_above_200k_tokens": 0.000015},
                 "o9": {"input_cost_per_token": 0.00001, "output_cost_per_token": 0.00004,
                        "output_cost_per_reasoning_token": 0.00002}}
                """);
        CostCalculator withLiteLlm = new CostCalculator(new PriceResolver(List.of(
                new LiteLlmCatalog(json, "litellm@test"), GenAiPricesCatalog.load("prices/genai-prices.json", VERSION)),
                null));
        Instant at = Instant.parse("2026-11-01T12:00:00Z");
        Cost gpt = withLiteLlm.price("t", call("openai", "gpt-4o", 1000L, 500L, 400L, null, null, at, null));
        // 600 x 2 + 400 x 1 + 500 x 8 = 5600 micro-USD
        assertThat(gpt.total()).isEqualByComparingTo("0.0056");
        assertThat(gpt.version()).isEqualTo("litellm@test");
        assertThat(gpt.entry()).isEqualTo("litellm/gpt-4o");
        // provider-prefixed key, tier above 200k: 250000 x 2.5 + 1000 x 15
        Cost gemini = withLiteLlm.price("t", call("gcp.gemini", "gemini-2.5-pro", 250_000L, 1000L, null, null, null, at, null));
        assertThat(gemini.total()).isEqualByComparingTo("0.64");
        // reasoning at its own price: 1000 x 10 + 500 x 40 + 500 x 20
        Cost o9 = withLiteLlm.price("t", call(null, "o9", 1000L, 1000L, null, null, 500L, at, null));
        assertThat(o9.total()).isEqualByComparingTo("0.04");
        // not in the file: falls through to genai-prices
        Cost claude = withLiteLlm.price("t", call("anthropic", "claude-3-opus-20240229", 1000L, 1000L, null, null, null, at, null));
        assertThat(claude.version()).isEqualTo(VERSION);
    }

    static LlmCall call(String provider, String model, Long input, Long output, Long cacheRead, Long cacheWrite,
                        Long reasoning, Instant time, BigDecimal provided) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        return new LlmCall("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", nanos, 1_000_000L, "svc",
                provider, false, "chat", model, null, input, output, null, cacheRead, cacheWrite, reasoning, null, null,
                List.of(), 0, null,
                null, null, null, null, provided, "otel-genai", List.of());
    }
}
