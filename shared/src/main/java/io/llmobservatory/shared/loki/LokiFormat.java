package io.llmobservatory.shared.loki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a log record's fields that are not labels (trace and span ids, severity number, attributes) are kept in Loki,
 * written by enrich and read by query. Loki 3.0 and later keep them as structured metadata (the third element of a
 * pushed value). Older Loki refuses structured metadata, so there the line is a JSON envelope instead:
 * {@code {"body": "<the record's body>", "severity_number": "9", "trace_id": "...", ...}}, which LogQL reads with
 * {@code | json} (e.g. {@code {service_name="bot"} | json | trace_id="..."}).
 */
public final class LokiFormat {
    /** The first Loki version that accepts structured metadata. */
    public static final int STRUCTURED_METADATA_SINCE_MAJOR = 3;
    /** The envelope's key for the record's body. */
    public static final String BODY = "body";
    /** Written into every envelope; with {@link #BODY} it tells an envelope from a body that happens to be JSON. */
    public static final String SEVERITY_NUMBER = "severity_number";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)");

    private LokiFormat() {
    }

    /**
     * Whether the Loki that answered {@code /loki/api/v1/status/buildinfo} with {@code buildInfo} takes structured
     * metadata: empty when its version is not a release number (a build without version flags answers {@code ""}),
     * so the caller decides (enrich and query both take the envelope then, which every version accepts).
     */
    public static Optional<Boolean> structuredMetadata(String buildInfo) {
        return major(buildInfo).map(major -> major >= STRUCTURED_METADATA_SINCE_MAJOR);
    }

    /** The major version in a buildinfo answer ({@code {"version": "2.8.0", ...}}), when it is a release number. */
    public static Optional<Integer> major(String buildInfo) {
        try {
            String version = JSON.readTree(buildInfo).path("version").asText("");
            Matcher m = VERSION.matcher(version);
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (JsonProcessingException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The envelope line for Loki before 3.0: the body and then the metadata, as one JSON object. */
    public static String envelope(String body, Map<String, String> metadata) {
        ObjectNode line = JSON.createObjectNode();
        line.put(BODY, body);
        metadata.forEach((k, v) -> {
            if (!k.equals(BODY)) {
                line.put(k, v);
            }
        });
        if (!line.has(SEVERITY_NUMBER)) {
            line.put(SEVERITY_NUMBER, "0");
        }
        return line.toString();
    }

    /** A line read back from Loki: its body and the metadata the envelope carried. */
    public record Line(String body, Map<String, String> metadata) {
    }

    /** An envelope's body and metadata; empty when {@code line} is not an envelope (a plain body). */
    public static Optional<Line> unwrap(String line) {
        if (line.isEmpty() || line.charAt(0) != '{' || !line.contains("\"" + SEVERITY_NUMBER + "\"")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (!node.isObject() || !node.path(BODY).isTextual() || !node.has(SEVERITY_NUMBER)) {
            return Optional.empty();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (!f.getKey().equals(BODY)) {
                metadata.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
            }
        });
        return Optional.of(new Line(node.get(BODY).asText(), metadata));
    }

    /**
     * The LogQL query for the records of one trace: a filter on structured metadata on Loki 3 and later; before, a
     * line filter on the id (the reader keeps the envelopes whose {@code trace_id} is the id; no {@code | json}, whose
     * extracted labels would come back as stream labels).
     */
    public static String traceQuery(String traceIdHex, boolean structuredMetadata) {
        return structuredMetadata
                ? "{service_name=~\".+\"} | trace_id=\"" + traceIdHex + "\""
                : "{service_name=~\".+\"} |= \"" + traceIdHex + "\"";
    }
}
