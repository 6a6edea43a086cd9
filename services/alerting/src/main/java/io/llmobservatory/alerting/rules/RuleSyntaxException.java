package io.llmobservatory.alerting.rules;

/** A rule that cannot be parsed or is invalid; {@code position} is the 0-based offset in the expression, or -1. */
public class RuleSyntaxException extends IllegalArgumentException {
    private final int position;

    public RuleSyntaxException(String message, int position) {
        super(position >= 0 ? message + " (at position " + position + ")" : message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
