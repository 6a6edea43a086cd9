package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Answers recorded from the real Tempo and Loki (test resources under {@code recordings/}, see the README there): the
 * status line and Content-Type, a blank line, then the body byte for byte. And the JSON "shape" used to hold stand-ins
 * and real servers against them: object keys in order, value types, array elements' distinct shapes.
 */
final class Recordings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recordings() {
    }

    /** One recorded answer. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Answer answer(String name) {
        byte[] all = bytes(name);
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int blank = text.indexOf("\n\n");
        String[] head = text.substring(0, blank).split("\n");
        String type = "";
        for (int i = 1; i < head.length; i++) {
            if (head[i].toLowerCase().startsWith("content-type:")) {
                type = head[i].substring("content-type:".length()).strip();
            }
        }
        byte[] body = new byte[all.length - blank - 2];
        System.arraycopy(all, blank + 2, body, 0, body.length);
        return new Answer(Integer.parseInt(head[0].split(" ")[1]), type, body);
    }

    static byte[] bytes(String name) {
        try (InputStream in = Recordings.class.getResourceAsStream("/recordings/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shape of a JSON value: {@code {key:shape,...}} with keys in order, {@code [shapes]} with each distinct element
     * shape once, and {@code string}, {@code number}, {@code boolean}, {@code null}.
     */
    static String shape(JsonNode node) {
        if (node.isObject()) {
            StringBuilder s = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                s.append(f.getKey()).append(':').append(shape(f.getValue())).append(fields.hasNext() ? "," : "");
            }
            return s.append('}').toString();
        }
        if (node.isArray()) {
            List<String> distinct = new ArrayList<>();
            node.forEach(element -> {
                String shape = shape(element);
                if (!distinct.contains(shape)) {
                    distinct.add(shape);
                }
            });
            return "[" + String.join("|", distinct) + "]";
        }
        return node.isTextual() ? "string" : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : "null";
    }

    /** A Loki answer's {@code data.result} with its streams in label order (Loki's own order is not stable). */
    static JsonNode streams(JsonNode result) {
        List<JsonNode> streams = new ArrayList<>();
        result.forEach(streams::add);
        streams.sort(java.util.Comparator.comparing(s -> s.path("stream").toString()));
        return JSON.valueToTree(streams);
    }

    static String shape(String json) {
        return shape(json(json));
    }
}
