package io.llmobservatory.enrich.pii;

import java.util.Map;
import java.util.TreeMap;

/** What scrubbing one span found: redactions per type, and values dropped because scrubbing them failed. */
final class ScrubStats {
    final Map<String, Integer> byType = new TreeMap<>();
    int failures;

    void found(String type) {
        byType.merge(type, 1, Integer::sum);
    }

    int total() {
        int n = 0;
        for (int v : byType.values()) {
            n += v;
        }
        return n;
    }

    boolean isEmpty() {
        return byType.isEmpty() && failures == 0;
    }
}
