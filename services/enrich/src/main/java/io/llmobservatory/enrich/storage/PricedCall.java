package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.genai.LlmCall;

/** An LLM call with its cost, as written to {@code llm_calls}. */
public record PricedCall(LlmCall call, Cost cost) {
}
