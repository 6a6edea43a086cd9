package io.llmobservatory.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A detector made of a pattern, a cheap pre-check, and an optional validation of each candidate. */
public abstract class RegexDetector implements PiiDetector {
    private final Pattern pattern;
    private final String type;

    protected RegexDetector(String type, Pattern pattern) {
        this.type = type;
        this.pattern = pattern;
    }

    Pattern pattern() {
        return pattern;
    }

    String type() {
        return type;
    }

    /** False when the text certainly holds nothing (saves the regex on most values). */
    protected abstract boolean mayContain(String text);

    /** Whether a candidate match is the real thing (checksums, ranges). */
    protected boolean valid(String candidate) {
        return true;
    }

    @Override
    public void find(String text, List<Finding> out) {
        if (!mayContain(text)) {
            return;
        }
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (valid(m.group())) {
                out.add(new Finding(m.start(), m.end(), type));
            }
        }
    }

    /** True when the text has a run of at least {@code atLeast} digits, single spaces or dashes allowed between them. */
    protected static boolean hasDigitRun(String text, int atLeast) {
        int run = 0;
        char previous = ' ';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run >= atLeast) {
                    return true;
                }
            } else if (!((c == ' ' || c == '-') && previous >= '0' && previous <= '9')) {
                run = 0;
            }
            previous = c;
        }
        return false;
    }

    protected static boolean hasDigits(String text, int atLeast) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i)) && ++n >= atLeast) {
                return true;
            }
        }
        return false;
    }
}
