package io.llmobservatory.query.traceql;

import io.llmobservatory.query.QueryCorpus;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TraceQL subset against its corpus ({@code traceql/queries.txt}): what parses, and the error each mistake gets. */
class TraceQlCorpusTest {

    @TestFactory
    Stream<DynamicTest> corpus() {
        return QueryCorpus.read("/traceql/queries.txt").stream().map(e -> e.valid()
                ? DynamicTest.dynamicTest("valid: " + e.query(), () -> assertThat(TraceQl.parse(e.query())).isNotNull())
                : DynamicTest.dynamicTest(e.section() + " " + e.query(), () -> assertThatThrownBy(() -> TraceQl.parse(e.query()))
                        .isInstanceOf(TraceQlException.class).hasMessageContaining(e.expectedError())
                        .hasMessageContaining("column")));
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
}
