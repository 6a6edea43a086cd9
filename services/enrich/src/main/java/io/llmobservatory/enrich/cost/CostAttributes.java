package io.llmobservatory.enrich.cost;

import io.llmobservatory.enrich.genai.LlmCall;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.SpanRecord;
import io.llmobservatory.shared.semconv.AttributeKey;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.llmobservatory.shared.semconv.ObservatoryAttributes.*;

/**
 * The attributes that show a call's cost on its span: the breakdown, its source and price version; plus time to
 * first token and tokens per second. Written at ingestion and rewritten by recompute.
 */
public final class CostAttributes {
    /** Every cost key, so a recompute can remove the old ones before writing the new. */
    public static final List<String> COST_KEYS = List.of(COST_SOURCE, COST_PRICE_VERSION, COST_TOTAL_USD,
            COST_PROMPT_USD, COST_COMPLETION_USD, COST_INPUT_USD, COST_CACHE_READ_USD, COST_CACHE_WRITE_USD,
            COST_OUTPUT_USD, COST_REASONING_USD).stream().map(AttributeKey::key).toList();

    private CostAttributes() {
    }

    public static Map<String, Object> of(Cost cost) {
        Map<String, Object> out = new LinkedHashMap<>();
        putCost(out, cost);
        return out;
    }

    private static void putCost(Map<String, Object> out, Cost cost) {
        put(out, COST_SOURCE, cost.source().label());
        put(out, COST_PRICE_VERSION, cost.version());
        put(out, COST_TOTAL_USD, cost.total());
        put(out, COST_PROMPT_USD, cost.prompt());
        put(out, COST_COMPLETION_USD, cost.completion());
        put(out, COST_INPUT_USD, cost.input());
        put(out, COST_CACHE_READ_USD, cost.cacheRead());
        put(out, COST_CACHE_WRITE_USD, cost.cacheWrite());
        put(out, COST_OUTPUT_USD, cost.output());
        put(out, COST_REASONING_USD, cost.reasoning());
    }

    /** The span with the call's cost, time to first token and tokens per second added. */
    public static SpanRecord apply(SpanRecord span, LlmCall call, Cost cost) {
        Map<String, Object> attributes = new LinkedHashMap<>((span.attributes().size() + 12) * 4 / 3 + 1);
        attributes.putAll(span.attributes().asMap());
        putCost(attributes, cost);
        put(attributes, TTFT_MS, call.ttftMs());
        put(attributes, TOKENS_PER_SECOND, call.tokensPerSecond());
        return span.withAttributes(Attributes.wrap(attributes));
    }

    private static void put(Map<String, Object> attributes, AttributeKey key, Object value) {
        if (value instanceof BigDecimal d) {
            attributes.put(key.key(), d.stripTrailingZeros());
        } else if (value != null) {
            attributes.put(key.key(), value);
        }
    }
}
