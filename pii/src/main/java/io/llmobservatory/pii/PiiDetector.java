package io.llmobservatory.pii;

import java.util.List;

/**
 * Finds one kind of sensitive data in text. The suite (enrich) and the Java SDK scrub with the same detectors, so both
 * find the same things and write the same markers. A new built-in detector is one class implementing this interface,
 * listed in {@link BuiltInDetectors}, plus its corpus ({@code services/enrich/src/test/resources/pii/<name>.txt});
 * enrich also takes detectors of its own as CDI beans. Callers run detectors through a {@link PiiScanner}; its single
 * pass knows the built-in classes' patterns and runs any other detector (a new one included) over the whole text, so a
 * new built-in is correct at once and joins the single pass when {@code SinglePassScanner} learns its candidates.
 */
public interface PiiDetector {

    /** Stable name, used in metrics and config (e.g. {@code email}). */
    String name();

    /** Adds every finding in {@code text} to {@code out}. Must be fast on text that holds nothing. */
    void find(String text, List<Finding> out);
}
