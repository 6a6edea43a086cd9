package io.llmobservatory.pii;

import java.util.List;

/**
 * Finds one kind of sensitive data in text. The suite (enrich) and the Java SDK scrub with the same detectors, so both
 * find the same things and write the same markers. A new built-in detector is one class implementing this interface,
 * listed in {@link BuiltInDetectors}, plus its corpus ({@code services/enrich/src/test/resources/pii/<name>.txt});
 * enrich also takes detectors of its own as CDI beans.
 */
public interface PiiDetector {

    /** Stable name, used in metrics and config (e.g. {@code email}). */
    String name();

    /** Adds every finding in {@code text} to {@code out}. Must be fast on text that holds nothing. */
    void find(String text, List<Finding> out);
}
