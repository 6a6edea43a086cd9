package io.llmobservatory.enrich.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
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
    /** Earliest first, then longest; on a tie the more specific type wins over PHONE, the most generic. */
    private static final Comparator<Finding> ORDER = Comparator.comparingInt(Finding::start)
            .thenComparing(f -> -(f.end() - f.start()))
            .thenComparing(f -> "PHONE".equals(f.type()) ? 1 : 0);

    private final List<PiiDetector> detectors;
    private final Hasher hasher;

    TextScrubber(List<PiiDetector> detectors, Hasher hasher) {
        this.detectors = List.copyOf(detectors);
        this.hasher = hasher;
    }

    /** The text with its sensitive parts replaced per {@code action} (REDACT or HASH); counts go to {@code stats}. */
    String scrub(String text, PiiAction action, ScrubStats stats) {
        if (text.isEmpty()) {
            return text;
        }
        char first = firstNonBlank(text);
        if (first == '{' || first == '[') {
            JsonNode tree = parse(text);
            if (tree != null && tree.isContainerNode()) {
                return scrubJson(tree, action, stats) ? tree.toString() : text;
            }
        }
        return scrubPlain(text, action, stats);
    }

    private String scrubPlain(String text, PiiAction action, ScrubStats stats) {
        List<Finding> findings = new ArrayList<>(0);
        for (PiiDetector d : detectors) {
            d.find(text, findings);
        }
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
            return JSON.readTree(text);
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
