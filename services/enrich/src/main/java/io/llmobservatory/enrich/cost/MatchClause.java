package io.llmobservatory.enrich.cost;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A genai-prices match rule (equals / starts_with / ends_with / contains / regex / or / and) over a name. */
sealed interface MatchClause {

    boolean matches(String name);

    static MatchClause parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.has("equals")) {
            String v = node.get("equals").asText();
            return new Simple(v::equals);
        }
        if (node.has("starts_with")) {
            String v = node.get("starts_with").asText();
            return new Simple(n -> n.startsWith(v));
        }
        if (node.has("ends_with")) {
            String v = node.get("ends_with").asText();
            return new Simple(n -> n.endsWith(v));
        }
        if (node.has("contains")) {
            String v = node.get("contains").asText();
            return new Simple(n -> n.contains(v));
        }
        if (node.has("regex")) {
            Pattern p = Pattern.compile(node.get("regex").asText());
            return new Simple(n -> p.matcher(n).find());
        }
        if (node.has("or")) {
            return new Or(children(node.get("or")));
        }
        if (node.has("and")) {
            return new And(children(node.get("and")));
        }
        throw new IllegalArgumentException("unknown match clause: " + node);
    }

    private static List<MatchClause> children(JsonNode array) {
        List<MatchClause> out = new ArrayList<>();
        array.forEach(n -> out.add(parse(n)));
        return out;
    }

    record Simple(java.util.function.Predicate<String> predicate) implements MatchClause {
        public boolean matches(String name) {
            return predicate.test(name);
        }
    }

    record Or(List<MatchClause> clauses) implements MatchClause {
        public boolean matches(String name) {
            return clauses.stream().anyMatch(c -> c.matches(name));
        }
    }

    record And(List<MatchClause> clauses) implements MatchClause {
        public boolean matches(String name) {
            return clauses.stream().allMatch(c -> c.matches(name));
        }
    }
}
