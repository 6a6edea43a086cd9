package io.llmobservatory.enrich.storage;

import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanLink;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes attribute values as jsonb text. PostgreSQL rejects NUL characters in text and jsonb, so they are
 * replaced with U+FFFD here, the one place strings enter storage; everything else is kept verbatim.
 */
final class JsonText {
    private JsonText() {
    }

    /**
     * Encodes the jsonb values of one batch of rows: one scratch builder serves every value (a builder per value
     * grew and copied itself for every long message), empty maps and lists are constants, and the text of an
     * attribute map many rows share (the resource of a batch's spans, their scope) is built once. Not thread-safe:
     * one per batch.
     */
    static final class Batch {
        private final StringBuilder sb = new StringBuilder(4096);
        private final Map<Attributes, String> shared = new IdentityHashMap<>();

        String attributes(Attributes attributes) {
            if (attributes.isEmpty()) {
                return "{}";
            }
            sb.setLength(0);
            writeMap(sb, attributes.asMap());
            return sb.toString();
        }

        /** For attribute maps shared by the rows of a batch (one object per resource or scope). */
        String sharedAttributes(Attributes attributes) {
            String text = shared.get(attributes);
            if (text == null) {
                text = attributes(attributes);
                shared.put(attributes, text);
            }
            return text;
        }

        String events(List<SpanEvent> events) {
            if (events.isEmpty()) {
                return "[]";
            }
            sb.setLength(0);
            sb.append('[');
            for (int i = 0; i < events.size(); i++) {
                SpanEvent e = events.get(i);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"timeUnixNano\":").append(e.timeUnixNano()).append(",\"name\":");
                writeString(sb, e.name());
                sb.append(",\"attributes\":");
                writeMap(sb, e.attributes().asMap());
                if (e.droppedAttributesCount() > 0) {
                    sb.append(",\"droppedAttributesCount\":").append(e.droppedAttributesCount());
                }
                sb.append('}');
            }
            return sb.append(']').toString();
        }

        String links(List<SpanLink> links) {
            if (links.isEmpty()) {
                return "[]";
            }
            sb.setLength(0);
            sb.append('[');
            for (int i = 0; i < links.size(); i++) {
                SpanLink l = links.get(i);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"traceId\":\"").append(l.traceId()).append("\",\"spanId\":\"").append(l.spanId()).append('"');
                if (!l.traceState().isEmpty()) {
                    sb.append(",\"traceState\":");
                    writeString(sb, l.traceState());
                }
                sb.append(",\"attributes\":");
                writeMap(sb, l.attributes().asMap());
                if (l.flags() != 0) {
                    sb.append(",\"flags\":").append(l.flags());
                }
                if (l.droppedAttributesCount() > 0) {
                    sb.append(",\"droppedAttributesCount\":").append(l.droppedAttributesCount());
                }
                sb.append('}');
            }
            return sb.append(']').toString();
        }
    }

    /** Any attribute value (or log body) as JSON text; null stays null. */
    static String value(Object v) {
        if (v == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        writeValue(sb, v);
        return sb.toString();
    }

    static String stringArray(List<String> values) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, values);
        return sb.toString();
    }

    /** Text for a text column: NUL replaced, since PostgreSQL text cannot hold it. */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static void writeMap(StringBuilder sb, Map<?, ?> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            writeString(sb, String.valueOf(e.getKey()));
            sb.append(':');
            writeValue(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void writeValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            writeString(sb, s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof java.math.BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof Double d) {
            // JSON has no NaN or infinities; keep them readable as strings rather than lose the attribute.
            if (d.isNaN() || d.isInfinite()) {
                writeString(sb, d.toString());
            } else {
                sb.append(d);
            }
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeValue(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            writeMap(sb, m);
        } else {
            writeString(sb, v.toString());
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        // Runs of characters that need no escaping are copied in bulk (message content is mostly such runs).
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            sb.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append('\uFFFD');
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        sb.append(s, run, s.length());
        sb.append('"');
    }
}
