package io.llmobservatory.query.logql;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The storage port of the LogQL engine: log lines of a tenant in a window, with the selector matchers and line
 * filters the store can apply itself pushed down as a typed request (never as query text).
 */
public interface LogSource {

    /** One log line with its labels (service_name, severity, attributes with dots as underscores, trace/span ids). */
    record Line(long timeUnixNano, String line, Map<String, String> labels) {
    }

    /**
     * @param matchers    stream selector matchers on {@code service_name} and {@code severity}
     * @param lineFilters leading line filters ({@code |= != |~ !~})
     * @param max         the engine evaluates at most this many lines: return up to {@code max + 1} so it can tell
     */
    record Request(String tenant, Instant from, Instant to, List<Ast.LabelMatcher> matchers,
                   List<Ast.LineFilter> lineFilters, boolean newestFirst, int max) {
    }

    /** The query matches more lines than the engine evaluates in memory. */
    final class TooManyLines extends RuntimeException {
        public TooManyLines(int max) {
            super("the query matches more than " + max + " log lines in the window; narrow the selector, add line "
                    + "filters or shorten the window");
        }
    }

    List<Line> fetch(Request request);
}
