package io.llmobservatory.pii;

import java.util.List;

/**
 * Runs a list of detectors over a text. Both implementations give the same findings in the same order (detector by
 * detector in list order, each detector's in its own order): {@link #singlePass} walks the text once for every
 * built-in detector and is what the suite and the SDK use; {@link #sequential} runs each detector in turn and is the
 * reference it is held to ({@code PiiScannerEquivalenceTest}, {@code PiiScrubBenchmark}).
 */
public interface PiiScanner {

    /** Every finding; an immutable empty list when there is none, else a new list the caller may sort. */
    List<Finding> find(String text);

    /** Whether any detector finds anything (stops at the first detector that does). */
    boolean anyIn(String text);

    /** One pass over the text finds the candidate regions of every built-in detector; other detectors run as they are. */
    static PiiScanner singlePass(List<PiiDetector> detectors) {
        return new SinglePassScanner(detectors);
    }

    /** Each detector over the whole text in turn. */
    static PiiScanner sequential(List<PiiDetector> detectors) {
        return new SequentialScanner(detectors);
    }
}
