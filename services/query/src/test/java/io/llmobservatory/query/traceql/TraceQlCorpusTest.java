package io.llmobservatory.query.traceql;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TraceQL subset against its corpus ({@code traceql/queries.txt}): what parses, and the error each mistake gets. */
class TraceQlCorpusTest {

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        String section = "";
        for (String line : lines()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            if (section.equals("[valid]")) {
                tests.add(DynamicTest.dynamicTest("valid: " + line, () -> assertThat(TraceQl.parse(line)).isNotNull()));
            } else {
                int arrow = line.lastIndexOf(" => ");
                String query = line.substring(0, arrow);
                String message = line.substring(arrow + 4);
                tests.add(DynamicTest.dynamicTest(section + " " + query, () -> assertThatThrownBy(() -> TraceQl.parse(query))
                        .isInstanceOf(TraceQlException.class).hasMessageContaining(message).hasMessageContaining("column")));
            }
        }
        return tests.stream();
    }

    @Test
    void theSeedsExampleParsesToTheExpectedTree() {
        Ast.Filter f = TraceQl.parse("{ span.llm.model = \"gpt-4\" && duration > 5s }");
        assertThat(f.expression()).isEqualTo(new Ast.And(
                new Ast.Comparison(new Ast.Attribute(Ast.Scope.SPAN, "llm.model"), Ast.Op.EQ, new Ast.Text("gpt-4"), 3),
                new Ast.Comparison(new Ast.Intrinsic("duration"), Ast.Op.GT, new Ast.DurationNanos(5_000_000_000L), 31)));
    }

    @Test
    void errorsCarryTheColumn() {
        assertThatThrownBy(() -> TraceQl.parse("{ span.x = }")).isInstanceOfSatisfying(TraceQlException.class,
                e -> assertThat(e.column()).isEqualTo(12));
    }

    private static List<String> lines() throws IOException {
        try (InputStream in = TraceQlCorpusTest.class.getResourceAsStream("/traceql/queries.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
