package io.llmobservatory.enrich.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which action applies to an attribute of a tenant's span: the first rule whose tenant (if any) and attribute
 * pattern match, else the default action. Patterns are globs over attribute keys ({@code gen_ai.prompt.*}).
 * Built-in rules, after the operator's: user ids are hashed, so per-user spend still works without storing
 * who the user is.
 */
public final class PiiPolicy {
    /** User id keys of every dialect: hashed by default. */
    static final List<String> USER_ID_KEYS = List.of("user.id", "enduser.id", "langfuse.user.id",
            "traceloop.association.properties.user_id", "ai.telemetry.metadata.userId");

    public record Rule(String tenant, List<String> attributeGlobs, PiiAction action) {
    }

    private record Compiled(String tenant, Pattern keys, PiiAction action) {
    }

    private final List<Compiled> rules;
    private final PiiAction defaultAction;
    private final Map<String, PiiAction> cache = new ConcurrentHashMap<>();

    public PiiPolicy(List<Rule> operatorRules, PiiAction defaultAction) {
        List<Compiled> list = new ArrayList<>();
        for (Rule r : operatorRules) {
            list.add(new Compiled(r.tenant(), glob(r.attributeGlobs()), r.action()));
        }
        list.add(new Compiled(null, glob(USER_ID_KEYS), PiiAction.HASH));
        this.rules = List.copyOf(list);
        this.defaultAction = defaultAction;
    }

    public PiiAction action(String tenant, String key) {
        String cacheKey = tenant + '\u0000' + key;
        PiiAction cached = cache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        PiiAction action = defaultAction;
        for (Compiled rule : rules) {
            if ((rule.tenant() == null || rule.tenant().equals(tenant)) && rule.keys().matcher(key).matches()) {
                action = rule.action();
                break;
            }
        }
        if (cache.size() < 100_000) {
            cache.put(cacheKey, action);
        }
        return action;
    }

    public PiiAction defaultAction() {
        return defaultAction;
    }

    static Pattern glob(List<String> globs) {
        List<String> parts = new ArrayList<>();
        for (String g : globs) {
            StringBuilder re = new StringBuilder();
            for (char c : g.trim().toCharArray()) {
                re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            parts.add(re.toString());
        }
        return Pattern.compile(String.join("|", parts));
    }
}
