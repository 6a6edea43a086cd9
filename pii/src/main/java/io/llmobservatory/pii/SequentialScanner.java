package io.llmobservatory.pii;

import java.util.ArrayList;
import java.util.List;

/** Each detector over the whole text in turn: the reference {@link SinglePassScanner} is held to. */
final class SequentialScanner implements PiiScanner {
    private final List<PiiDetector> detectors;

    SequentialScanner(List<PiiDetector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    @Override
    public List<Finding> find(String text) {
        List<Finding> out = new ArrayList<>(0);
        for (PiiDetector d : detectors) {
            d.find(text, out);
        }
        return out.isEmpty() ? List.of() : out;
    }

    @Override
    public boolean anyIn(String text) {
        List<Finding> out = new ArrayList<>(0);
        for (PiiDetector d : detectors) {
            d.find(text, out);
            if (!out.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
