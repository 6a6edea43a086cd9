package io.llmobservatory.sdk.pii;

import java.util.List;

/**
 * Finds one kind of sensitive data in text. A new detector is one class implementing this interface plus its
 * corpus file (the suite's {@code services/enrich/src/test/resources/pii/<name>.txt}).
 */
public interface PiiDetector {

    /** Stable name, used in metrics and config (e.g. {@code email}). */
    String name();

    /** Adds every finding in {@code text} to {@code out}. Must be fast on text that holds nothing. */
    void find(String text, List<Finding> out);
}
