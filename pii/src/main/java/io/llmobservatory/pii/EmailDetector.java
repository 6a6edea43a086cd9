package io.llmobservatory.pii;


import java.util.regex.Pattern;

/** E-mail addresses (a dotted domain with a 2+ letter TLD). */
public class EmailDetector extends RegexDetector {
    public EmailDetector() {
        super("EMAIL", Pattern.compile(
                "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"));
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    protected boolean mayContain(String text) {
        return text.indexOf('@') >= 0;
    }
}
