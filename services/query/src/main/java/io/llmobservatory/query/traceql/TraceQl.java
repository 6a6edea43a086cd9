package io.llmobservatory.query.traceql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The supported TraceQL subset: one spanset filter {@code { ... }} with intrinsics ({@code duration}, {@code name},
 * {@code status}, {@code kind}, their {@code span:} forms, {@code trace:duration}, {@code trace:rootName},
 * {@code trace:rootService}), scoped attributes ({@code span.}, {@code resource.}, unscoped {@code .x}), the
 * operators {@code = != > >= < <= =~ !~}, {@code &&}, {@code ||}, parentheses, and durations ({@code 300ms},
 * {@code 5s}). Anything else fails with a {@link TraceQlException} naming the construct.
 */
public final class TraceQl {
    static final Set<String> SPAN_INTRINSICS = Set.of("duration", "name", "status", "kind");
    static final Set<String> TRACE_INTRINSICS = Set.of("trace:duration", "trace:rootName", "trace:rootService");
    static final Set<String> STATUSES = Set.of("error", "ok", "unset");
    static final Set<String> KINDS = Set.of("unspecified", "internal", "server", "client", "producer", "consumer");
    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private final List<Token> tokens;
    private int at;

    private TraceQl(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses and validates a query. */
    public static Ast.Filter parse(String query) {
        if (query == null || query.isBlank()) {
            throw new TraceQlException("empty query", 1);
        }
        TraceQl p = new TraceQl(Lexer.tokens(query));
        Ast.Filter filter = p.spanset();
        Token next = p.peek();
        switch (next.kind()) {
            case EOF -> {
                return filter;
            }
            case PIPE -> throw new TraceQlException("unsupported construct: pipeline '|' (aggregates such as count(), "
                    + "select(), by() are not supported over PostgreSQL)", next.column());
            case STRUCTURAL -> throw new TraceQlException("unsupported construct: structural operator '" + next.text()
                    + "'", next.column());
            case AND, OR -> throw new TraceQlException("unsupported construct: spanset operator '" + next.text()
                    + "' between spansets", next.column());
            default -> throw new TraceQlException("unexpected '" + next.text() + "' after the spanset", next.column());
        }
    }

    private Ast.Filter spanset() {
        expect(Token.Kind.LBRACE, "a query starts with '{'");
        if (peek().kind() == Token.Kind.RBRACE) {
            next();
            return new Ast.Filter(null);
        }
        Ast expression = or();
        expect(Token.Kind.RBRACE, "expected '}' or an operator");
        return new Ast.Filter(expression);
    }

    private Ast or() {
        Ast left = and();
        while (peek().kind() == Token.Kind.OR) {
            next();
            left = new Ast.Or(left, and());
        }
        return left;
    }

    private Ast and() {
        Ast left = factor();
        while (peek().kind() == Token.Kind.AND) {
            next();
            left = new Ast.And(left, factor());
        }
        return left;
    }

    private Ast factor() {
        if (peek().kind() == Token.Kind.LPAREN) {
            next();
            Ast inner = or();
            expect(Token.Kind.RPAREN, "expected ')'");
            return inner;
        }
        Token fieldToken = next();
        if (fieldToken.kind() != Token.Kind.IDENT) {
            throw new TraceQlException("expected a field (an intrinsic such as duration, or span./resource./.attribute)"
                    + " but got '" + fieldToken.text() + "'", fieldToken.column());
        }
        Ast.Field field = field(fieldToken);
        Token opToken = next();
        Ast.Op op = opToken.kind() == Token.Kind.OP ? Ast.Op.of(opToken.text()) : null;
        if (op == null) {
            throw new TraceQlException("expected a comparison operator (= != > >= < <= =~ !~) after '" + fieldToken.text()
                    + "'", opToken.column());
        }
        Ast.Value value = value(next());
        Ast.Comparison comparison = new Ast.Comparison(field, op, value, fieldToken.column());
        validate(comparison, fieldToken.text());
        return comparison;
    }

    private static Ast.Field field(Token t) {
        String s = t.text();
        if (s.startsWith("span.") && s.length() > 5) {
            return new Ast.Attribute(Ast.Scope.SPAN, s.substring(5));
        }
        if (s.startsWith("resource.") && s.length() > 9) {
            return new Ast.Attribute(Ast.Scope.RESOURCE, s.substring(9));
        }
        if (s.startsWith(".") && s.length() > 1) {
            return new Ast.Attribute(Ast.Scope.ANY, s.substring(1));
        }
        String intrinsic = s.startsWith("span:") ? s.substring(5) : s;
        if (SPAN_INTRINSICS.contains(intrinsic)) {
            return new Ast.Intrinsic(intrinsic);
        }
        if (TRACE_INTRINSICS.contains(s)) {
            return new Ast.Intrinsic(s);
        }
        for (String scope : List.of("event.", "link.", "instrumentation.", "event:", "link:", "instrumentation:")) {
            if (s.startsWith(scope)) {
                throw new TraceQlException("unsupported construct: the " + scope.substring(0, scope.length() - 1)
                        + " scope", t.column());
            }
        }
        throw new TraceQlException("unknown field '" + s + "'", t.column());
    }

    private static Ast.Value value(Token t) {
        return switch (t.kind()) {
            case STRING -> new Ast.Text(t.text());
            case NUMBER -> new Ast.Number(Double.parseDouble(t.text()));
            case DURATION -> new Ast.DurationNanos(duration(t));
            case IDENT -> switch (t.text()) {
                case "true" -> new Ast.Bool(true);
                case "false" -> new Ast.Bool(false);
                default -> {
                    String w = t.text().toLowerCase(Locale.ROOT);
                    if (STATUSES.contains(w) || KINDS.contains(w)) {
                        yield new Ast.EnumWord(w);
                    }
                    throw new TraceQlException("expected a value but got '" + t.text() + "'", t.column());
                }
            };
            default -> throw new TraceQlException("expected a value but got '" + t.text() + "'", t.column());
        };
    }

    private static long duration(Token t) {
        String s = t.text();
        int unitStart = 0;
        while (unitStart < s.length() && (Lexer.digit(s.charAt(unitStart)) || s.charAt(unitStart) == '.'
                || s.charAt(unitStart) == '-')) {
            unitStart++;
        }
        Long unit = UNITS.get(s.substring(unitStart));
        if (unit == null) {
            throw new TraceQlException("unknown duration unit in '" + s + "' (ns, us, ms, s, m, h)", t.column());
        }
        return Math.round(Double.parseDouble(s.substring(0, unitStart)) * unit);
    }

    /** Type checks: each field takes the values and operators it can be compared with. */
    private static void validate(Ast.Comparison c, String fieldText) {
        int col = c.column();
        Ast.Op op = c.op();
        boolean equality = op == Ast.Op.EQ || op == Ast.Op.NE;
        boolean regex = op == Ast.Op.MATCH || op == Ast.Op.NOT_MATCH;
        if (regex) {
            if (!(c.value() instanceof Ast.Text text)) {
                throw new TraceQlException(op.symbol + " needs a string pattern", col);
            }
            try {
                Pattern.compile(text.value());
            } catch (PatternSyntaxException e) {
                throw new TraceQlException("invalid regular expression \"" + text.value() + "\"", col);
            }
        }
        if (c.field() instanceof Ast.Intrinsic i) {
            switch (i.name()) {
                case "duration", "trace:duration" -> {
                    if (!(c.value() instanceof Ast.DurationNanos) || regex) {
                        throw new TraceQlException(fieldText + " is compared with a duration such as 300ms or 5s", col);
                    }
                }
                case "name", "trace:rootName", "trace:rootService" -> {
                    if (!(c.value() instanceof Ast.Text) || !(equality || regex)) {
                        throw new TraceQlException(fieldText + " takes a string with = != =~ !~", col);
                    }
                }
                case "status" -> {
                    if (!(c.value() instanceof Ast.EnumWord w) || !STATUSES.contains(w.word()) || !equality) {
                        throw new TraceQlException(fieldText + " takes = or != with error, ok or unset", col);
                    }
                }
                case "kind" -> {
                    if (!(c.value() instanceof Ast.EnumWord w) || !KINDS.contains(w.word()) || !equality) {
                        throw new TraceQlException(fieldText + " takes = or != with a span kind (server, client, "
                                + "internal, producer, consumer, unspecified)", col);
                    }
                }
                default -> throw new TraceQlException("unknown intrinsic " + i.name(), col);
            }
            return;
        }
        Ast.Value v = c.value();
        if (v instanceof Ast.Text && !(equality || regex)) {
            throw new TraceQlException("strings take = != =~ !~, not " + op.symbol, col);
        }
        if (v instanceof Ast.Number && regex) {
            throw new TraceQlException("numbers cannot be matched with " + op.symbol, col);
        }
        if (v instanceof Ast.Bool && !equality) {
            throw new TraceQlException("booleans take = or !=", col);
        }
        if (v instanceof Ast.DurationNanos) {
            throw new TraceQlException("attributes cannot be compared with a duration", col);
        }
        if (v instanceof Ast.EnumWord w) {
            throw new TraceQlException("'" + w.word() + "' is a status or kind, not an attribute value;"
                    + " quote it to compare with a string", col);
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind() != Token.Kind.EOF) {
            at++;
        }
        return t;
    }

    private void expect(Token.Kind kind, String message) {
        Token t = next();
        if (t.kind() != kind) {
            throw new TraceQlException(message + (t.kind() == Token.Kind.EOF ? " before the end" : ", got '" + t.text() + "'"),
                    t.column());
        }
    }
}
