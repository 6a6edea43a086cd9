package io.llmobservatory.query.logql;

import io.llmobservatory.query.QueryCorpus;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LogQL subset against its corpus ({@code logql/queries.txt}). */
class LogQlCorpusTest {

    @TestFactory
    Stream<DynamicTest> corpus() {
        return QueryCorpus.read("/logql/queries.txt").stream().map(e -> e.valid()
                ? DynamicTest.dynamicTest("valid: " + e.query(), () -> assertThat(LogQl.parse(e.query())).isNotNull())
                : DynamicTest.dynamicTest("fails: " + e.query(), () -> assertThatThrownBy(() -> LogQl.parse(e.query()))
                        .isInstanceOf(LogQlException.class).hasMessageContaining(e.expectedError())
                        .hasMessageContaining("column")));
    }
}
