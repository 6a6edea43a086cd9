package io.llmobservatory.pii;


import java.util.regex.Pattern;

/** Payment card numbers: 13-19 digits (spaces or dashes allowed), a known issuer prefix, and a valid Luhn checksum. */
public class CreditCardDetector extends RegexDetector {
    private static final Pattern ISSUER = Pattern.compile(
            "^(4|5[1-5]|2(2[2-9]|[3-6]\\d|7[01]|720)|3[47]|3(0[0-5]|[68])|6(011|5|4[4-9]|22)|35(2[89]|[3-8])|62|81).*");

    public CreditCardDetector() {
        super("CREDIT_CARD", Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"));
    }

    @Override
    public String name() {
        return "credit_card";
    }

    @Override
    protected boolean mayContain(String text) {
        return hasDigitRun(text, 13);
    }

    @Override
    protected boolean valid(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        return digits.length() >= 13 && digits.length() <= 19 && ISSUER.matcher(digits).matches() && luhn(digits);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
