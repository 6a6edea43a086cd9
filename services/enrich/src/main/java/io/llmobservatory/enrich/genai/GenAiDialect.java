package io.llmobservatory.enrich.genai;

import io.llmobservatory.shared.model.SpanRecord;

import java.util.Optional;

/**
 * One attribute dialect of GenAI instrumentation (OpenTelemetry GenAI, OpenInference, OpenLLMetry, ...).
 * A new dialect is one new CDI bean implementing this interface; {@link #precedence()} orders dialects
 * when a span speaks several (lower wins).
 */
public interface GenAiDialect {

    /** Short stable name, stored with each call (e.g. {@code otel-genai}). */
    String name();

    /** Lower wins when two dialects report the same fact. */
    int precedence();

    /** The facts this dialect finds on the span, or empty when the span does not speak it. */
    Optional<GenAiFacts> read(SpanRecord span);
}
