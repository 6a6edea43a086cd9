package io.llmobservatory.query.traceql;

import io.llmobservatory.query.QueryCorpus;
import io.llmobservatory.query.logql.LogQl;
import io.llmobservatory.query.logql.LogQlException;
import io.llmobservatory.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for the TraceQL and LogQL parsers: 50,000 generated queries each (mutations of the corpora's
 * queries and random token soup). Every one either parses or is refused with the parser's typed error — never
 * another exception (which the API would turn into a 500), never a hang (the timeout).
 */
class ParserFuzzTest {
    private static final List<String> TRACEQL_TOKENS = List.of("{", "}", "(", ")", "&&", "||", "=", "!=", "=~", "!~",
            ">", ">=", "<", "<=", "\"", ".", "span.", "resource.", "span:", "trace:", "duration", "name", "status",
            "kind", "5s", "300ms", "1.5", "-", "error", "ok", "client", "true", "nil", " ", "\\", "|", "by(", "count()");
    private static final List<String> LOGQL_TOKENS = List.of("{", "}", "(", ")", "[", "]", "|=", "!=", "|~", "!~",
            "| json", "| logfmt", "| line_format", "\"", "`", "=", "=~", ">", "5000", "5m", "rate(", "count_over_time(",
            "sum by (", "level", "service_name", "performance_duration_ms", ",", " ", "\\", "{{.msg}}", "ms", "1e3");

    private static List<String> corpus(String path) {
        return QueryCorpus.read(path).stream().map(QueryCorpus.Entry::query).toList();
    }

    @Test
    @Timeout(120)
    void traceQlParsesOrRefusesWithItsTypedError() {
        Fuzz fuzz = new Fuzz(20261127L, corpus("/traceql/queries.txt"), TRACEQL_TOKENS);
        assertThat(Fuzz.run(50_000, fuzz::next, TraceQl::parse, t -> t instanceof TraceQlException)).isEmpty();
    }

    @Test
    @Timeout(120)
    void logQlParsesOrRefusesWithItsTypedError() {
        Fuzz fuzz = new Fuzz(20261128L, corpus("/logql/queries.txt"), LOGQL_TOKENS);
        assertThat(Fuzz.run(50_000, fuzz::next, LogQl::parse, t -> t instanceof LogQlException)).isEmpty();
    }
}
