package io.llmobservatory.shared.semconv;

import static io.llmobservatory.shared.semconv.AttributeKey.doubleKey;
import static io.llmobservatory.shared.semconv.AttributeKey.stringKey;

/** Attributes the pipeline writes onto stored LLM spans, so a trace shows its own cost and speed. */
public final class ObservatoryAttributes {
    private ObservatoryAttributes() {
    }

    public static final AttributeKey COST_PROMPT_USD = doubleKey("llm.cost.prompt_usd");
    public static final AttributeKey COST_COMPLETION_USD = doubleKey("llm.cost.completion_usd");
    public static final AttributeKey COST_TOTAL_USD = doubleKey("llm.cost.total_usd");
    public static final AttributeKey COST_INPUT_USD = doubleKey("llm.cost.input_usd");
    public static final AttributeKey COST_CACHE_READ_USD = doubleKey("llm.cost.cache_read_usd");
    public static final AttributeKey COST_CACHE_WRITE_USD = doubleKey("llm.cost.cache_write_usd");
    public static final AttributeKey COST_OUTPUT_USD = doubleKey("llm.cost.output_usd");
    public static final AttributeKey COST_REASONING_USD = doubleKey("llm.cost.reasoning_usd");
    /** computed, override, provided or unpriced. */
    public static final AttributeKey COST_SOURCE = stringKey("llm.cost.source");
    public static final AttributeKey COST_PRICE_VERSION = stringKey("llm.cost.price_version");
    public static final AttributeKey TTFT_MS = doubleKey("llm.ttft_ms");
    public static final AttributeKey TOKENS_PER_SECOND = doubleKey("llm.tokens_per_second");
}
