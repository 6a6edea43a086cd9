package io.llmobservatory.sdk.pii;

import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.Finding;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK scrubs as the suite does: the suite's own PII corpus (services/enrich/src/test/resources/pii/<name>.txt,
 * read in place, never copied) through the SDK's detectors and scrubber. {@code +} lines must yield exactly the
 * bracketed findings, each replaced by the suite's marker; {@code -} lines nothing.
 */
class PiiCorpusAgreementTest {
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)]");
    /** The marker each detector writes (enrich's types). */
    private static final Map<String, String> MARKERS = Map.of("email", "<EMAIL>", "phone", "<PHONE>",
            "credit_card", "<CREDIT_CARD>", "us_ssn", "<US_SSN>", "iban", "<IBAN>", "ip_address", "<IP_ADDRESS>");

    static Path corpusDir() {
        Path root = Path.of(System.getProperty("observatory.project.root", "..")).toAbsolutePath().normalize();
        return root.resolve("services/enrich/src/test/resources/pii");
    }

    @Test
    void everySuiteDetectorHasItsCorpusAndTheSdkHasEverySuiteDetector() throws IOException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            List<String> names = files.map(p -> p.getFileName().toString().replace(".txt", "")).sorted().toList();
            assertThat(PiiScrubber.allDetectors()).extracting(PiiDetector::name).containsExactlyInAnyOrderElementsOf(names);
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        PiiScrubber scrubber = PiiScrubber.withAllDetectors();
        for (PiiDetector detector : PiiScrubber.allDetectors()) {
            for (String line : Files.readAllLines(corpusDir().resolve(detector.name() + ".txt"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                boolean positive = line.startsWith("+ ");
                String marked = line.substring(2);
                List<String> expected = new ArrayList<>();
                Matcher m = BRACKETED.matcher(marked);
                while (m.find()) {
                    expected.add(m.group(1));
                }
                String text = positive ? marked.replace("[", "").replace("]", "") : marked;
                tests.add(DynamicTest.dynamicTest(detector.name() + " " + line, () -> {
                    List<Finding> findings = new ArrayList<>();
                    detector.find(text, findings);
                    List<String> found = findings.stream().map(f -> text.substring(f.start(), f.end())).toList();
                    if (!positive) {
                        assertThat(found).as("false positives in: " + text).isEmpty();
                        return;
                    }
                    assertThat(found).as("findings in: " + text).containsExactlyInAnyOrderElementsOf(expected);
                    String scrubbed = scrubber.scrub(text);
                    for (String secret : expected) {
                        assertThat(scrubbed).as("scrubbed: " + scrubbed).doesNotContain(secret);
                    }
                    String marker = MARKERS.get(detector.name());
                    if (marker != null) {
                        assertThat(scrubbed).contains(marker);
                    } else {
                        assertThat(scrubbed).containsPattern("<(API_KEY|AWS_ACCESS_KEY|JWT|BEARER_TOKEN)>");
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void markersReplaceOnlyTheFindings() {
        assertThat(PiiScrubber.withAllDetectors().scrub("write to bob@example.org, SSN 123-45-6789, thanks"))
                .isEqualTo("write to <EMAIL>, SSN <US_SSN>, thanks");
        assertThat(PiiScrubber.without(java.util.Set.of("email")).scrub("bob@example.org")).isEqualTo("bob@example.org");
    }
}
