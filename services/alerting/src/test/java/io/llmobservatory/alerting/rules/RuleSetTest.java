package io.llmobservatory.alerting.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A rule file is refused as a whole with the rule and the field at fault. */
class RuleSetTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\u0000', textBlock = """
            health: [{name: A, expr: 'x > 1'}, {name: A, expr: 'y > 1'}]                 | health[1] (A): name 'A' is used by another rule
            health: [{name: 'bad name', expr: 'x > 1'}]                                 | name must be letters, digits and '_'
            health: [{name: A, expr: 'sum(x) > 1'}]                                     | health[0] (A): aggregation 'sum' is not supported
            health: [{name: A, expr: 'x > 1', for: 5 minutes}]                          | for must be a duration like 30s
            health: [{name: A, expr: 'x > 1', labels: {alertname: B}}]                  | the alertname label is the rule's name
            llm: [{name: B, kind: budget, window: 1d, threshold: 1}]                    | llm[0] (B): kind must be one of spend_budget
            llm: [{name: B, kind: spend_budget, window: 1d}]                            | threshold must be a number
            llm: [{name: B, kind: spend_budget, threshold: 1}]                          | window must be a duration
            llm: [{name: B, kind: spend_burn_rate, window: 1h, shortWindow: 1d, threshold: 1}] | shortWindow must be shorter than window
            llm: [{name: B, kind: spend_budget, tenant: 'a b', window: 1d, threshold: 1}] | tenant must be
            llm: [{name: B, kind: spend_budget, window: 1d, threshold: 1, colour: red}] | not valid YAML for rules
            """)
    void refusesInvalidRules(String yaml, String message) {
        refuses(yaml, message);
    }

    @org.junit.jupiter.api.Test
    void anAnnotationWithoutTextIsEmpty() { // found by RuleParserFuzzTest: used to fail with a NullPointerException
        org.assertj.core.api.Assertions.assertThat(RuleRepository.parse(
                "health: [{name: A, expr: 'x > 1', annotations: {summary: }}]").health().get(0).annotations())
                .containsEntry("summary", "");
    }

    private static void refuses(String yaml, String message) {
        assertThatThrownBy(() -> RuleRepository.parse(yaml)).isInstanceOf(RuleSyntaxException.class)
                .hasMessageContaining(message);
    }
}
