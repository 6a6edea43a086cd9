package io.llmobservatory.sdk.pii;

import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.Finding;
import io.llmobservatory.pii.PiiScanner;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Replaces what the detectors find in prompt and completion text with the suite's markers ({@code <EMAIL>},
 * {@code <CREDIT_CARD>}, ...), before the text leaves the process. The detectors are the suite's (enrich's) and are
 * held to the suite's corpus files by {@code PiiCorpusAgreementTest}, so both sides scrub alike.
 */
public final class PiiScrubber {
    /** Earliest first, then longest; on a tie the more specific type wins over PHONE, the most generic. */
    private static final Comparator<Finding> ORDER = Comparator.comparingInt(Finding::start)
            .thenComparing(f -> -(f.end() - f.start()))
            .thenComparing(f -> "PHONE".equals(f.type()) ? 1 : 0);

    private final PiiScanner scanner;

    private PiiScrubber(List<PiiDetector> detectors) {
        this.scanner = PiiScanner.singlePass(detectors);
    }

    /** Every detector of the suite. */
    public static PiiScrubber withAllDetectors() {
        return new PiiScrubber(allDetectors());
    }

    /** Every detector except those named ({@code email}, {@code phone}, {@code credit_card}, ...). */
    public static PiiScrubber without(Set<String> disabled) {
        return new PiiScrubber(allDetectors().stream().filter(d -> !disabled.contains(d.name())).toList());
    }

    /** The suite's detectors, in the suite's order. */
    public static List<PiiDetector> allDetectors() {
        return BuiltInDetectors.all();
    }

    /** The text with every finding replaced by its marker; the same instance when nothing was found. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<Finding> findings = scanner.find(text);
        if (findings.isEmpty()) {
            return text;
        }
        findings.sort(ORDER);
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : findings) {
            if (f.start() < at) {
                continue; // overlaps a longer or earlier finding already replaced
            }
            out.append(text, at, f.start()).append('<').append(f.type()).append('>');
            at = f.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}
