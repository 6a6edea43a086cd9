package io.llmobservatory.pii;


import java.math.BigInteger;
import java.util.regex.Pattern;

/** International bank account numbers (ISO 13616), compact or in groups of four, with a valid mod-97 check. */
public class IbanDetector extends RegexDetector {
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    public IbanDetector() {
        super("IBAN", Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])"));
    }

    @Override
    public String name() {
        return "iban";
    }

    @Override
    protected boolean mayContain(String text) {
        // two capital letters then two digits: the country code and check digits
        for (int i = 0; i + 3 < text.length(); i++) {
            char a = text.charAt(i);
            if (a >= 'A' && a <= 'Z') {
                char b = text.charAt(i + 1);
                if (b >= 'A' && b <= 'Z' && Character.isDigit(text.charAt(i + 2)) && Character.isDigit(text.charAt(i + 3))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected boolean valid(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }
}
