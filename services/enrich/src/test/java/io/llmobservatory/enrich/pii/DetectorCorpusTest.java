package io.llmobservatory.enrich.pii;

import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.Finding;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every detector against its corpus ({@code src/test/resources/pii/<name>.txt}): {@code +} lines must yield exactly
 * the bracketed findings, {@code -} lines none (false positives).
 */
class DetectorCorpusTest {
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)]");

    static List<PiiDetector> detectors() {
        return BuiltInDetectors.all();
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (PiiDetector detector : detectors()) {
            for (String line : lines("/pii/" + detector.name() + ".txt")) {
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
                    if (positive) {
                        assertThat(found).as("findings in: " + text).containsExactlyInAnyOrderElementsOf(expected);
                    } else {
                        assertThat(found).as("false positives in: " + text).isEmpty();
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = DetectorCorpusTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
