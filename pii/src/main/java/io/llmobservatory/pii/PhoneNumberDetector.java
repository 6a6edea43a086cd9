package io.llmobservatory.pii;


import java.util.regex.Pattern;

/**
 * Phone numbers in international and national written forms: E.164 ({@code +14155550123}), and grouped numbers
 * with separators ({@code +44 20 7946 0958}, {@code (415) 555-0123}, {@code 415.555.0123}). Plain digit runs
 * without a {@code +} are not phone numbers here (too many ids and amounts look like them); 7-15 digits.
 */
public class PhoneNumberDetector extends RegexDetector {
    public PhoneNumberDetector() {
        super("PHONE", Pattern.compile(
                "(?<![\\w.+/-])(?:\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,5}\\)?){1,6}|(?:\\(\\d{2,4}\\)[ .-]?|\\d{2,4}[ .-])\\d{3,4}[ .-]\\d{3,4})(?![\\w.-]?\\d)(?![\\w/])"));
    }

    @Override
    public String name() {
        return "phone";
    }

    @Override
    protected boolean mayContain(String text) {
        // a '+' or '(' before a digit, or digits separated by a space, dot or dash, with 7 digits in all
        if (!hasDigits(text, 7)) {
            return false;
        }
        for (int i = 0; i + 1 < text.length(); i++) {
            char c = text.charAt(i);
            char next = text.charAt(i + 1);
            if ((c == '+' || c == '(') && Character.isDigit(next)) {
                return true;
            }
            if ((c == ' ' || c == '.' || c == '-') && i > 0 && Character.isDigit(text.charAt(i - 1))
                    && Character.isDigit(next) && hasDigitRun(text.substring(Math.max(0, i - 4), Math.min(text.length(), i + 10)).replace('.', '-'), 7)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected boolean valid(String candidate) {
        int digits = 0;
        for (int i = 0; i < candidate.length(); i++) {
            if (Character.isDigit(candidate.charAt(i))) {
                digits++;
            }
        }
        if (digits < 7 || digits > 15) {
            return false;
        }
        // Dotted quads are IP addresses, and yyyy-mm-dd-like groups are dates, not phone numbers.
        if (candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}") || candidate.matches("\\d{4}[-./]\\d{2}[-./]\\d{2}.*")) {
            return false;
        }
        return candidate.startsWith("+") || candidate.startsWith("(") || candidate.matches(".*\\d[ .-]\\d.*");
    }
}
