package io.llmobservatory.query.traceql;

/**
 * A parsed TraceQL spanset filter: a boolean expression over the fields of one span. It is the typed request the
 * storage port receives; the engine never builds SQL.
 */
public sealed interface Ast {

    /** A span matches when the expression holds for it; a trace matches when one of its spans does. */
    record Filter(Ast expression) implements Ast {
    }

    record And(Ast left, Ast right) implements Ast {
    }

    record Or(Ast left, Ast right) implements Ast {
    }

    /** {@code field op value}. */
    record Comparison(Field field, Op op, Value value, int column) implements Ast {
    }

    /** What a comparison reads. */
    sealed interface Field {
    }

    /** An intrinsic: duration, name, status, kind (of the span), or trace:duration, trace:rootName, trace:rootService. */
    record Intrinsic(String name) implements Field {
    }

    /** An attribute: scope SPAN ({@code span.x}), RESOURCE ({@code resource.x}) or ANY ({@code .x}). */
    record Attribute(Scope scope, String key) implements Field {
    }

    enum Scope { SPAN, RESOURCE, ANY }

    enum Op {
        EQ("="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<="), MATCH("=~"), NOT_MATCH("!~");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        static Op of(String s) {
            for (Op op : values()) {
                if (op.symbol.equals(s)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** A literal: text, number, duration (nanoseconds), boolean, or an enum word (status / kind names). */
    sealed interface Value {
    }

    record Text(String value) implements Value {
    }

    record Number(double value) implements Value {
    }

    record DurationNanos(long nanos) implements Value {
    }

    record Bool(boolean value) implements Value {
    }

    record EnumWord(String word) implements Value {
    }
}
