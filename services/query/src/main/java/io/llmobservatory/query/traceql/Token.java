package io.llmobservatory.query.traceql;

/** A lexical token and the 1-based column it starts at. */
record Token(Kind kind, String text, int column) {
    enum Kind { LBRACE, RBRACE, LPAREN, RPAREN, AND, OR, OP, IDENT, STRING, NUMBER, DURATION, PIPE, STRUCTURAL, EOF }
}
