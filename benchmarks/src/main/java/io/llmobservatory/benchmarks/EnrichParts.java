package io.llmobservatory.benchmarks;

import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiScanner;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.cost.GenAiPricesCatalog;
import io.llmobservatory.enrich.cost.PriceResolver;
import io.llmobservatory.enrich.genai.LangfuseDialect;
import io.llmobservatory.enrich.genai.LlmCallExtractor;
import io.llmobservatory.enrich.genai.OpenInferenceDialect;
import io.llmobservatory.enrich.genai.OpenLlmetryDialect;
import io.llmobservatory.enrich.genai.OtelGenAiDialect;
import io.llmobservatory.enrich.genai.VercelAiDialect;
import io.llmobservatory.enrich.pii.PiiAction;
import io.llmobservatory.enrich.pii.PiiPolicy;
import io.llmobservatory.enrich.pii.SpanScrubber;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.List;

/** The enrich pipeline's stages as the service wires them by default, built without CDI for the benchmarks. */
public final class EnrichParts {
    private EnrichParts() {
    }

    /** All seven built-in detectors, the default policy (redact), the service's scanner (single pass). */
    public static SpanScrubber scrubber() {
        return scrubber(PiiScanner.singlePass(BuiltInDetectors.all()));
    }

    /** All seven built-in detectors through the given scanner, the default policy (redact). */
    public static SpanScrubber scrubber(PiiScanner scanner) {
        return new SpanScrubber(true, scanner, new PiiPolicy(List.of(), PiiAction.REDACT), "bench-key", new SimpleMeterRegistry());
    }

    /** Every dialect. */
    public static LlmCallExtractor extractor() {
        return new LlmCallExtractor(List.of(new OtelGenAiDialect(), new OpenInferenceDialect(),
                new OpenLlmetryDialect(), new VercelAiDialect(), new LangfuseDialect()));
    }

    /** The bundled genai-prices catalog, no overrides. */
    public static CostCalculator costs() {
        return new CostCalculator(new PriceResolver(
                List.of(GenAiPricesCatalog.load("prices/genai-prices.json", "genai-prices@bench")), null));
    }
}
