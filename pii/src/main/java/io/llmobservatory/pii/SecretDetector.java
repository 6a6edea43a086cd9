package io.llmobservatory.pii;


import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys and credentials: OpenAI/Anthropic-style {@code sk-…} keys, Stripe keys, AWS access key ids, GitHub and
 * Slack tokens, Google API keys, JWTs, and the token of an {@code Authorization: Bearer …} value.
 */
public class SecretDetector implements PiiDetector {
    /**
     * A pattern, and literals one of which any match contains (checked first: a substring search is cheap).
     * {@code inWord}: every match is a run of {@code [A-Za-z0-9_.-]} holding one of the hints verbatim, so
     * {@link SinglePassScanner} may look for it only in such runs around a hint.
     */
    record Rule(String type, Pattern pattern, int group, boolean inWord, String... hints) {
        boolean mayMatch(String text) {
            for (String hint : hints) {
                if (text.contains(hint)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9_-])sk-(?:proj-|ant-(?:api\\d\\d-)?|live-|test-)?[A-Za-z0-9_-]{20,}"), 0, true, "sk-"),
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"), 0, true, "_live_", "_test_"),
            new Rule("AWS_ACCESS_KEY", Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), 0, true, "AKIA", "ASIA", "ABIA", "ACCA"),
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}"), 0, true, "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{50,}"), 0, true, "github_pat_"),
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"), 0, true, "xox"),
            new Rule("API_KEY", Pattern.compile("(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"), 0, true, "AIza"),
            new Rule("JWT", Pattern.compile("(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{10,}"), 0, true, "eyJ"),
            new Rule("BEARER_TOKEN", Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{16,})"), 1, false, "earer", "EARER"));

    @Override
    public String name() {
        return "secret";
    }

    @Override
    public void find(String text, List<Finding> out) {
        if (text.length() < 16) {
            return;
        }
        for (Rule rule : RULES) {
            if (!rule.mayMatch(text)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                out.add(new Finding(m.start(rule.group()), m.end(rule.group()), rule.type()));
            }
        }
    }
}
