package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;

import java.util.Optional;

/**
 * One attribute dialect of GenAI instrumentation (OpenTelemetry GenAI, OpenInference, OpenLLMetry, ...).
 * A new dialect is one new CDI bean implementing this interface. {@link #precedence()} is the dialect's row in
 * the precedence table (lower wins when two dialects report the same fact); see ARCHITECTURE.md.
 */
public interface GenAiDialect {

    /** Short stable name, stored with each call (e.g. {@code otel-genai}). */
    String name();

    /** Lower wins when two dialects report the same fact. */
    int precedence();

    /**
     * Whether the key belongs to this dialect's vocabulary (read or deliberately ignored, like message content).
     * Keys of LLM spans that no dialect knows are counted as unmapped.
     */
    boolean knows(String key);

    /** The facts this dialect finds on the span, or empty when the span does not speak it. */
    Optional<GenAiFacts> read(SpanRecord span);
}
