package io.llmobservatory.enrich.pii;

import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.Finding;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An operator-configured pattern ({@code observatory.enrich.pii.custom[n]}), e.g. employee or ticket ids. */
final class CustomRegexDetector implements PiiDetector {
    private final String name;
    private final String type;
    private final Pattern pattern;

    CustomRegexDetector(String name, String pattern) {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("observatory.enrich.pii.custom: name '" + name
                    + "' must be a letter followed by up to 63 letters, digits or '_'");
        }
        try {
            this.pattern = Pattern.compile(pattern);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("observatory.enrich.pii.custom '" + name + "': invalid pattern: "
                    + e.getMessage());
        }
        this.name = name.toLowerCase(Locale.ROOT);
        this.type = name.toUpperCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (m.end() > m.start()) {
                out.add(new Finding(m.start(), m.end(), type));
            }
        }
    }
}
