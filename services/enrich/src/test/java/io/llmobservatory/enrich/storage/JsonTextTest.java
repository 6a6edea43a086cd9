package io.llmobservatory.enrich.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.shared.model.Attributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The jsonb text the writer sends parses back (with Jackson, as strictly as PostgreSQL) to the same values. */
class JsonTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "say \"hi\"", "back\\slash", "line\nbreak\r\ttab", "\u0001\u001f control",
            "trailing quote\"", "\"leading", "é ü 中文 🙂", "\\\"\\\"", "{\"role\":\"user\",\"content\":\"a\\nb\"}"})
    void stringsRoundTrip(String s) throws Exception {
        assertThat(JSON.readTree(JsonText.value(s)).asText()).isEqualTo(s);
    }

    @Test
    void nulBecomesTheReplacementCharacter() throws Exception {
        assertThat(JSON.readTree(JsonText.value("a\0b")).asText()).isEqualTo("a\uFFFDb");
    }

    @Test
    void randomStringsRoundTrip() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        char[] alphabet = {'a', 'Z', ' ', '"', '\\', '\n', '\r', '\t', '\u0001', '\u001f', '\u007f', 'é', '\uD83D', '\uDE42', '/'};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = sb.toString();
            assertThat(JSON.readTree(JsonText.value(s)).asText()).as("%s", List.of(s.chars().boxed().toList()))
                    .isEqualTo(s);
        }
    }

    @Test
    void attributeMapsKeepKeysAndTypes() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"content\":\"Hi \\\"there\\\"\\n\"}]}]");
        values.put("gen_ai.usage.input_tokens", 1000L);
        values.put("temperature", 0.2);
        values.put("stream", true);
        values.put("key \"quoted\"", List.of("a", "b\tc"));
        JsonNode node = JSON.readTree(new JsonText.Batch().attributes(Attributes.of(values)));
        assertThat(node.get("gen_ai.input.messages").asText()).isEqualTo(values.get("gen_ai.input.messages"));
        assertThat(node.get("gen_ai.usage.input_tokens").asLong()).isEqualTo(1000L);
        assertThat(node.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(node.get("stream").asBoolean()).isTrue();
        assertThat(node.get("key \"quoted\"").get(1).asText()).isEqualTo("b\tc");
    }

    /** One batch's scratch builder serves value after value: each text must still be exactly its own value's. */
    @Test
    void aBatchEncoderReusesItsBuilderWithoutMixingValues() throws Exception {
        JsonText.Batch batch = new JsonText.Batch();
        Map<String, Object> big = new LinkedHashMap<>();
        big.put("gen_ai.output.messages", "x".repeat(10_000) + "é\u4e2d");
        Map<String, Object> small = Map.of("k", "v");
        Attributes bigAttributes = Attributes.of(big);
        String first = batch.attributes(bigAttributes);
        String second = batch.attributes(Attributes.of(small));
        assertThat(JSON.readTree(first).get("gen_ai.output.messages").asText()).isEqualTo(big.get("gen_ai.output.messages"));
        assertThat(second).isEqualTo("{\"k\":\"v\"}").isEqualTo(new JsonText.Batch().attributes(Attributes.of(small)));
        assertThat(first).isEqualTo(new JsonText.Batch().attributes(bigAttributes));
        assertThat(batch.attributes(Attributes.empty())).isEqualTo("{}");
        assertThat(batch.events(List.of())).isEqualTo("[]");
        assertThat(batch.links(List.of())).isEqualTo("[]");
        // the text of a map rows share (a resource) is built once per batch
        assertThat(batch.sharedAttributes(bigAttributes)).isSameAs(batch.sharedAttributes(bigAttributes))
                .isEqualTo(first);
    }
}
