package io.llmobservatory.pii;


import java.util.regex.Pattern;

/** US Social Security numbers written AAA-GG-SSSS, excluding ranges the SSA never issues (000, 666, 9xx; 00; 0000). */
public class UsSsnDetector extends RegexDetector {
    public UsSsnDetector() {
        super("US_SSN", Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])"));
    }

    @Override
    public String name() {
        return "us_ssn";
    }

    @Override
    protected boolean mayContain(String text) {
        // ddd-dd-dddd: a dash with three digits before it and two digits and a dash after it
        for (int i = text.indexOf('-', 3); i >= 0 && i + 3 < text.length(); i = text.indexOf('-', i + 1)) {
            if (Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1))
                    && Character.isDigit(text.charAt(i + 2)) && text.charAt(i + 3) == '-') {
                return true;
            }
            if (i + 1 >= text.length()) {
                break;
            }
        }
        return false;
    }
}
