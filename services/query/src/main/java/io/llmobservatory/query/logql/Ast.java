package io.llmobservatory.query.logql;

import java.time.Duration;
import java.util.List;

/** A parsed LogQL query: a log query (selector and pipeline) or a metric query over log queries. */
public sealed interface Ast {

    record LabelMatcher(String name, String op, String value) {
    }

    /** {@code {labels} | stages...}. */
    record LogQuery(List<LabelMatcher> selector, List<Stage> pipeline) implements Ast {
    }

    sealed interface Stage {
    }

    /** {@code |= != |~ !~} on the log line. */
    record LineFilter(String op, String value) implements Stage {
    }

    /** {@code | json}: the line's JSON fields become labels (nested keys joined with '_'). */
    record Json() implements Stage {
    }

    /** {@code | label op value}; numbers and durations compare numerically. */
    record LabelFilter(String name, String op, String text, Double number) implements Stage {
    }

    /** {@code | line_format "{{.label}} ..."}. */
    record LineFormat(String template) implements Stage {
    }

    /** Metric queries. */
    sealed interface Metric extends Ast {
    }

    /** {@code rate(...[5m])} or {@code count_over_time(...[5m])}. */
    record RangeAggregation(String function, LogQuery query, Duration range) implements Metric {
    }

    /** {@code sum by (labels) (metric)} (also count, min, max, avg). */
    record VectorAggregation(String function, List<String> by, Metric inner) implements Metric {
    }

    /** {@code metric / metric} (also * + -). */
    record Binary(Metric left, String op, Metric right) implements Metric {
    }
}
