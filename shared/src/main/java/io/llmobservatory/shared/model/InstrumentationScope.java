package io.llmobservatory.shared.model;

/** The instrumentation scope (library) that produced a span. */
public record InstrumentationScope(String name, String version, Attributes attributes) {
    public static final InstrumentationScope EMPTY = new InstrumentationScope("", "", Attributes.empty());
}
