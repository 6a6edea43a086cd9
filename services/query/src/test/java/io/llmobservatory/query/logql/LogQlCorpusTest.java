package io.llmobservatory.query.logql;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LogQL subset against its corpus ({@code logql/queries.txt}). */
class LogQlCorpusTest {

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        String section = "";
        List<String> lines;
        try (InputStream in = LogQlCorpusTest.class.getResourceAsStream("/logql/queries.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            if (section.equals("[valid]")) {
                tests.add(DynamicTest.dynamicTest("valid: " + line, () -> assertThat(LogQl.parse(line)).isNotNull()));
            } else {
                int arrow = line.lastIndexOf(" => ");
                String query = line.substring(0, arrow);
                String message = line.substring(arrow + 4);
                tests.add(DynamicTest.dynamicTest("fails: " + query, () -> assertThatThrownBy(() -> LogQl.parse(query))
                        .isInstanceOf(LogQlException.class).hasMessageContaining(message).hasMessageContaining("column")));
            }
        }
        return tests.stream();
    }
}
