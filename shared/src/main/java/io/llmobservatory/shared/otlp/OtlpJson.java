package io.llmobservatory.shared.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON codec (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). It is the proto3 JSON
 * mapping with one exception: trace and span ids are hex strings, not base64. Enums may be integers,
 * int64 may be a string or a number, field names lowerCamelCase (original names accepted), unknown fields ignored.
 */
public final class OtlpJson {
    /** Fields that hold trace or span ids anywhere in an OTLP message (spans, links, log records, exemplars). */
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId",
            "trace_id", "span_id", "parent_span_id");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {
    }

    /**
     * Parses OTLP/JSON into the builder. An id that is not valid hex becomes empty, so validation rejects
     * just that span instead of the whole payload.
     *
     * @throws InvalidProtocolBufferException with a readable message when the payload is not OTLP/JSON
     */
    public static <B extends Message.Builder> B merge(byte[] json, B builder) throws InvalidProtocolBufferException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidProtocolBufferException("OTLP/JSON payload must be a JSON object");
        }
        String unpaired = unpairedSurrogate(root);
        if (unpaired != null) {
            // Refused here: protobuf would otherwise replace it with '?' on every serialisation, logging a WARNING
            // with a stack trace each time (one per request, for any client that sends one).
            throw new UnpairedSurrogateException("a string in " + unpaired + " holds an unpaired UTF-16 surrogate "
                    + "(a lone \\uD800-\\uDFFF escape); OTLP strings must be valid Unicode");
        }
        rewriteIds(root);
        try {
            PARSER.merge(MAPPER.writeValueAsString(root), builder);
        } catch (JsonProcessingException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + firstLine(e.getMessage()));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("not an OTLP/JSON message: " + firstLine(e.getMessage()));
        }
        return builder;
    }

    /** Prints a message (responses, statuses) as OTLP/JSON. */
    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    private static void rewriteIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    field.setValue(new TextNode(hexToBase64(value.textValue())));
                } else if (value.isContainerNode()) {
                    rewriteIds(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                rewriteIds(element);
            }
        }
    }

    /** OTLP/JSON that holds a string no UTF-8 can encode: the client's mistake, counted apart by the receivers. */
    public static final class UnpairedSurrogateException extends InvalidProtocolBufferException {
        UnpairedSurrogateException(String message) {
            super(message);
        }
    }

    /** The name of the field whose text (or name) holds an unpaired surrogate, or null when there is none. */
    private static String unpairedSurrogate(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (hasUnpairedSurrogate(field.getKey())) {
                    return "a field name";
                }
                JsonNode value = field.getValue();
                if (value.isTextual() && hasUnpairedSurrogate(value.textValue())) {
                    return "'" + field.getKey() + "'";
                }
                String inner = value.isContainerNode() ? unpairedSurrogate(value) : null;
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (element.isTextual() && hasUnpairedSurrogate(element.textValue())) {
                    return "an array";
                }
                String inner = element.isContainerNode() ? unpairedSurrogate(element) : null;
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String hexToBase64(String hex) {
        try {
            return Base64.getEncoder().encodeToString(OtlpIds.fromHex(hex));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
