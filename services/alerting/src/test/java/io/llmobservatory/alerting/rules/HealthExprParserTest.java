package io.llmobservatory.alerting.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data-driven: every line of health-exprs.csv parses to the PromQL given, or fails with the message given. */
class HealthExprParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/health-exprs.csv", delimiter = '|', quoteCharacter = '\u0000', commentCharacter = '#',
            nullValues = {})
    void parsesOrNamesTheProblem(String expr, String outcome) {
        String e = expr == null ? "" : expr;
        if (outcome.startsWith("ERROR:")) {
            assertThatThrownBy(() -> HealthExprParser.parse(e)).isInstanceOf(RuleSyntaxException.class)
                    .hasMessageContaining(outcome.substring("ERROR:".length()));
        } else {
            assertThat(HealthExprParser.parse(e).toPromQl()).isEqualTo(outcome);
        }
    }
}
