package io.llmobservatory.enrich.genai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.cost.CostCalculator;
import io.llmobservatory.enrich.cost.GenAiPricesCatalog;
import io.llmobservatory.enrich.cost.PriceResolver;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dialect × token-kind matrix ({@code dialects/token-matrix.json}): every case — spans recorded from the real
 * libraries, or written from a convention no recorded library emits — is recognised as exactly one call and priced
 * to the micro-dollar against the built-in catalog; every row names the attribute its kind came from.
 */
class TokenMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode MATRIX = read("/dialects/token-matrix.json");
    /** Token kind to the field of a case's expectation (and of the call). */
    private static final Map<String, String> KIND_FIELDS = Map.of("input", "input", "cache_read", "cacheRead",
            "cache_write_5m", "cacheWrite", "output", "output", "reasoning", "reasoning", "audio_input", "audioIn",
            "audio_output", "audioOut");

    private final LlmCallExtractor extractor = new LlmCallExtractor(List.of(new OtelGenAiDialect(),
            new OpenInferenceDialect(), new OpenLlmetryDialect(), new VercelAiDialect(), new LangfuseDialect()));
    private final CostCalculator calculator = new CostCalculator(new PriceResolver(
            List.of(GenAiPricesCatalog.load("prices/genai-prices.json", "genai-prices@47df840a")), null));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        MATRIX.get("cases").fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey())));
        return out.stream();
    }

    static Stream<Arguments> supportedRows() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode dialect : MATRIX.get("dialects")) {
            dialect.get("kinds").fields().forEachRemaining(k -> {
                if (!k.getValue().has("unsupported")) {
                    out.add(Arguments.of(dialect.get("name").asText(), k.getKey()));
                }
            });
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseIsOneCallPricedToTheMicroDollar(String name) {
        priced(name);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("supportedRows")
    void everyRowReadsItsKindFromItsAttributesAndPricesExactly(String dialectName, String kind) {
        JsonNode dialect = dialect(dialectName);
        JsonNode row = dialect.get("kinds").get(kind);
        String caseName = row.get("case").asText();
        JsonNode expect = MATRIX.get("cases").get(caseName).get("expect");
        assertThat(expect.get(KIND_FIELDS.get(kind)).isNull()).as("%s: the case reports %s", caseName, kind).isFalse();
        assertThat(expect.get("dialect").asText()).as("the dialect that leads").isEqualTo(dialect.get("reads").asText());

        LlmCall call = priced(caseName);
        // The row's attribute is on the span and was read: a JSON member (key#member) is found inside its value.
        Map<String, Object> attributes = attributesOfTheCall(caseName, call);
        List<String> carriers = new ArrayList<>();
        for (JsonNode attribute : row.get("attributes")) {
            String[] parts = attribute.asText().split("#", 2);
            boolean onSpan = attributes.containsKey(parts[0]) && (parts.length == 1
                    || readTree(String.valueOf(attributes.get(parts[0]))).has(parts[1]));
            if (onSpan && call.sourceKeys().contains(parts[0])) {
                carriers.add(attribute.asText());
            }
        }
        assertThat(carriers).as("%s %s: one of %s carries it in %s", dialectName, kind, row.get("attributes"), caseName)
                .isNotEmpty();
    }

    @Test
    void everyDialectSaysForEveryKindWhereItComesFromOrThatItCannot() {
        List<String> kinds = new ArrayList<>();
        MATRIX.get("kinds").forEach(k -> kinds.add(k.asText()));
        assertThat(kinds).containsExactly("input", "cache_read", "cache_write_5m", "cache_write_1h", "output",
                "reasoning", "audio_input", "audio_output");
        List<String> dialects = new ArrayList<>();
        for (JsonNode dialect : MATRIX.get("dialects")) {
            dialects.add(dialect.get("name").asText());
            assertThat(dialect.get("inputIncludesCached").isBoolean()).isTrue();
            List<String> rows = new ArrayList<>();
            dialect.get("kinds").fieldNames().forEachRemaining(rows::add);
            assertThat(rows).as(dialect.get("name").asText()).containsExactlyElementsOf(kinds);
            dialect.get("kinds").fields().forEachRemaining(k -> {
                JsonNode row = k.getValue();
                if (row.has("unsupported")) {
                    assertThat(row.get("unsupported").asText()).as("why not").isNotBlank();
                } else {
                    assertThat(row.get("attributes").size()).isPositive();
                    assertThat(MATRIX.get("cases").has(row.get("case").asText())).as(row.get("case").asText()).isTrue();
                }
            });
        }
        assertThat(dialects).containsExactly("otel-genai-current", "otel-genai-deprecated", "openinference",
                "openllmetry", "vercel-ai-otel", "vercel-ai-legacy", "langfuse", "openlit");
    }

    /** Runs the case's spans through the extractor (exactly one is a call), checks its tokens and exact price. */
    private LlmCall priced(String name) {
        JsonNode c = MATRIX.get("cases").get(name);
        List<LlmCall> calls = new ArrayList<>();
        for (SpanRecord span : spans(c)) {
            extractor.extract(span).ifPresent(calls::add);
        }
        assertThat(calls).as("%s: calls recognised (parents repeating the usage are not calls)", name).hasSize(1);
        LlmCall call = calculator.withInferredProvider("t", calls.get(0));
        JsonNode e = c.get("expect");
        assertThat(call.dialect()).as("dialect").isEqualTo(e.get("dialect").asText());
        assertThat(call.provider()).as("provider").isEqualTo(e.get("provider").asText());
        assertThat(call.providerInferred()).as("provider inferred").isEqualTo(e.get("providerInferred").asBoolean());
        assertThat(call.inputTokens()).as("input").isEqualTo(number(e, "input"));
        assertThat(call.outputTokens()).as("output").isEqualTo(number(e, "output"));
        assertThat(call.cacheReadTokens()).as("cache read").isEqualTo(number(e, "cacheRead"));
        assertThat(call.cacheWriteTokens()).as("cache write").isEqualTo(number(e, "cacheWrite"));
        assertThat(call.reasoningTokens()).as("reasoning").isEqualTo(number(e, "reasoning"));
        assertThat(call.inputAudioTokens()).as("audio in").isEqualTo(number(e, "audioIn"));
        assertThat(call.outputAudioTokens()).as("audio out").isEqualTo(number(e, "audioOut"));
        Cost cost = calculator.price("t", call);
        assertThat(cost.total()).as("%s: %s", name, c.get("byHand").asText())
                .isEqualByComparingTo(new BigDecimal(c.get("usd").asText()));
        return call;
    }

    private Map<String, Object> attributesOfTheCall(String caseName, LlmCall call) {
        return spans(MATRIX.get("cases").get(caseName)).stream().filter(s -> s.spanId().equals(call.spanId()))
                .findFirst().map(s -> s.attributes().asMap()).orElseThrow();
    }

    private static List<SpanRecord> spans(JsonNode c) {
        if (c.has("attributes")) {
            return List.of(span("00f067aa0ba902b7", "", c.get("attributes")));
        }
        JsonNode recorded = read("/dialects/recorded/" + c.get("recorded").asText() + ".json");
        List<SpanRecord> out = new ArrayList<>();
        for (JsonNode s : recorded.get("spans")) {
            out.add(span(s.get("spanId").asText(), s.path("parentSpanId").asText(""), s.get("attributes")));
        }
        return out;
    }

    private static SpanRecord span(String spanId, String parent, JsonNode attributes) {
        Map<String, Object> map = new LinkedHashMap<>();
        attributes.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
        long start = 1_795_773_600_000_000_000L;
        return new SpanRecord("0af7651916cd43dd8448eb211c80319c", spanId, parent.equals("null") ? "" : parent, "", 0,
                "span", 3, start, start + 1_000_000_000L, 0, "", "svc", Attributes.of(map), 0, List.of(), 0, List.of(),
                0, Attributes.empty(), InstrumentationScope.EMPTY);
    }

    /** JSON values as OtlpMapper produces them from AnyValue (integers as long, as the SDKs send them). */
    private static Object value(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(value(x)));
            return list;
        }
        return v.asText();
    }

    private static JsonNode dialect(String name) {
        for (JsonNode d : MATRIX.get("dialects")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no dialect " + name);
    }

    private static Long number(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asLong() : null;
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = TokenMatrixTest.class.getResourceAsStream(resource)) {
            return JSON.readTree(Optional.ofNullable(in).orElseThrow(() -> new AssertionError("missing " + resource)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
