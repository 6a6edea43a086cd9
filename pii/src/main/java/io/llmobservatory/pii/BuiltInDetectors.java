package io.llmobservatory.pii;

import java.util.List;

/** The built-in detectors, in the order the suite and the SDK run them. */
public final class BuiltInDetectors {
    private BuiltInDetectors() {
    }

    /** New instances (detectors hold no state, but callers may keep them as they like). */
    public static List<PiiDetector> all() {
        return List.of(new EmailDetector(), new PhoneNumberDetector(), new CreditCardDetector(), new UsSsnDetector(),
                new IbanDetector(), new IpAddressDetector(), new SecretDetector());
    }
}
