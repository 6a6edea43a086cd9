package io.llmobservatory.enrich.pii;

import io.llmobservatory.pii.Finding;
import io.llmobservatory.pii.PiiScanner;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scrubs one string: finds sensitive parts with every detector and replaces only those parts. A string holding
 * JSON (message arrays such as {@code gen_ai.input.messages}) is scrubbed leaf by leaf and stays valid JSON.
 */
final class TextScrubber {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Trailing text fails the parse (plain-text scrubbing then covers it) instead of being ignored. */
    private static final ObjectReader TREE = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Earliest first, then longest; on a tie the more specific type wins over PHONE, the most generic. */
    private static final Comparator<Finding> ORDER = Comparator.comparingInt(Finding::start)
            .thenComparing(f -> -(f.end() - f.start()))
            .thenComparing(f -> "PHONE".equals(f.type()) ? 1 : 0);

    private final PiiScanner scanner;
    private final Hasher hasher;

    TextScrubber(PiiScanner scanner, Hasher hasher) {
        this.scanner = scanner;
        this.hasher = hasher;
    }

    /** The text with its sensitive parts replaced per {@code action} (REDACT or HASH); counts go to {@code stats}. */
    String scrub(String text, PiiAction action, ScrubStats stats) {
        if (text.isEmpty()) {
            return text;
        }
        char first = firstNonBlank(text);
        if (first == '{' || first == '[') {
            Boolean clean = cleanJson(text);
            if (clean == Boolean.TRUE) {
                return text;
            }
            JsonNode tree = clean == null ? null : parse(text);
            if (tree != null && tree.isContainerNode()) {
                return scrubJson(tree, action, stats) ? tree.toString() : text;
            }
        }
        return scrubPlain(text, action, stats);
    }

    /**
     * Whether {@link #scrub} would leave this JSON text as it is, found by streaming over it (no tree, no copies):
     * TRUE when no string leaf (nested JSON text included, as {@link #scrubJson} recurses) holds anything a detector
     * finds, FALSE when one does (then the text is scrubbed through the tree as before), null when the text is not
     * JSON. Message arrays are the largest values of LLM spans and nearly always clean, so parsing each into a tree
     * only to find nothing was most of the scrubber's allocation.
     */
    private Boolean cleanJson(String text) {
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            int depth = 0;
            do {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return null; // ended inside the value: not JSON
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> {
                        if (!unchanged(parser.getText())) {
                            return Boolean.FALSE;
                        }
                    }
                    default -> {
                    }
                }
            } while (depth > 0);
            // Text after the value makes it not JSON: scrubbed as plain text, so nothing after it escapes.
            return parser.nextToken() == null ? Boolean.TRUE : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@link #scrub} would return this string (a JSON leaf) as it is. */
    private boolean unchanged(String leaf) {
        if (leaf.isEmpty()) {
            return true;
        }
        char first = firstNonBlank(leaf);
        if (first == '{' || first == '[') {
            Boolean clean = cleanJson(leaf);
            if (clean != null) {
                return clean;
            }
        }
        return !scanner.anyIn(leaf);
    }

    private String scrubPlain(String text, PiiAction action, ScrubStats stats) {
        List<Finding> findings = scanner.find(text);
        if (findings.isEmpty()) {
            return text;
        }
        findings.sort(ORDER);
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : findings) {
            if (f.start() < at) {
                continue; // overlaps a longer or earlier finding already replaced
            }
            out.append(text, at, f.start());
            out.append('<').append(f.type());
            if (action == PiiAction.HASH) {
                out.append(':').append(hasher.hash(text.substring(f.start(), f.end())));
            }
            out.append('>');
            at = f.end();
            stats.found(f.type());
        }
        return out.append(text, at, text.length()).toString();
    }

    /** Scrubs the JSON tree in place; true when something changed. */
    private boolean scrubJson(JsonNode node, PiiAction action, ScrubStats stats) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    String scrubbed = scrub(value.textValue(), action, stats);
                    if (!scrubbed.equals(value.textValue())) {
                        field.setValue(new TextNode(scrubbed));
                        changed = true;
                    }
                } else if (value.isContainerNode()) {
                    changed |= scrubJson(value, action, stats);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String scrubbed = scrub(value.textValue(), action, stats);
                    if (!scrubbed.equals(value.textValue())) {
                        array.set(i, new TextNode(scrubbed));
                        changed = true;
                    }
                } else if (value.isContainerNode()) {
                    changed |= scrubJson(value, action, stats);
                }
            }
        }
        return changed;
    }

    private static JsonNode parse(String text) {
        try {
            return TREE.readValue(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static char firstNonBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return ' ';
    }
}
