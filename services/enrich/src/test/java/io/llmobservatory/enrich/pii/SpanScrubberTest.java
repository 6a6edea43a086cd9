package io.llmobservatory.enrich.pii;

import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.Finding;
import io.llmobservatory.pii.EmailDetector;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrubbing whole spans: structure kept, only sensitive parts replaced, policies per key and tenant, fail closed. */
class SpanScrubberTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SpanScrubber scrubber(List<PiiPolicy.Rule> rules, List<PiiDetector> detectors) {
        return new SpanScrubber(true, detectors, new PiiPolicy(rules, PiiAction.REDACT), "test-key", registry);
    }

    private SpanScrubber scrubber(List<PiiPolicy.Rule> rules) {
        return scrubber(rules, DetectorCorpusTest.detectors());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            OTel input messages   | gen_ai.input.messages  | [{"role":"user","parts":[{"type":"text","content":"mail alice@example.com or call +1 415 555 0123"}]}] | [{"role":"user","parts":[{"type":"text","content":"mail <EMAIL> or call <PHONE>"}]}]
            OTel output messages  | gen_ai.output.messages | [{"role":"assistant","parts":[{"type":"text","content":"card 4111 1111 1111 1111 noted"}],"finish_reason":"stop"}] | [{"role":"assistant","parts":[{"type":"text","content":"card <CREDIT_CARD> noted"}],"finish_reason":"stop"}]
            system instructions   | gen_ai.system_instructions | [{"type":"text","content":"Use key sk-proj-abcdefghijklmnopqrstuvwxyz0123"}] | [{"type":"text","content":"Use key <API_KEY>"}]
            legacy prompt         | gen_ai.prompt.0.content | My SSN is 123-45-6789 | My SSN is <US_SSN>
            legacy completion     | gen_ai.completion.0.content | Sent to bob@example.org. | Sent to <EMAIL>.
            OpenInference message | llm.input_messages.0.message.content | IBAN DE89370400440532013000 please | IBAN <IBAN> please
            OpenInference input   | input.value | {"query": "who is 10.0.0.1?", "n": 3} | {"query":"who is <IP_ADDRESS>?","n":3}
            no PII, untouched     | output.value | {"answer" : "Paris"} | {"answer" : "Paris"}
            not JSON after all    | input.value | [not json] alice@example.com | [not json] <EMAIL>
            JSON, then text       | input.value | {"a": "x"} mail alice@example.com | {"a": "x"} mail <EMAIL>
            JSON text in a leaf   | gen_ai.tool.call.arguments | {"args": "{\\"to\\": \\"alice@example.com\\"}"} | {"args":"{\\"to\\":\\"<EMAIL>\\"}"}
            clean JSON in a leaf  | gen_ai.tool.call.arguments | {"args" : "{\\"city\\": \\"Paris\\"}"} | {"args" : "{\\"city\\": \\"Paris\\"}"}
            PII in a later leaf   | output.value | [{"a": "fine"}, {"b": ["ok", "ip 10.0.0.1"]}] | [{"a":"fine"},{"b":["ok","ip <IP_ADDRESS>"]}]
            """)
    void replacesOnlyTheSensitivePartsAndKeepsJsonValid(String name, String key, String value, String expected)
            throws Exception {
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(span(Map.of(key, value)))).get(0);
        String result = (String) scrubbed.attributes().raw(key);
        assertThat(result).isEqualTo(expected);
        if (expected.startsWith("[") && !expected.startsWith("[not")) {
            assertThat(JSON.readTree(result).isArray()).isTrue();
        }
    }

    @Test
    void aSpanWithNothingToScrubIsReturnedAsItIs() {
        SpanRecord clean = span(Map.of("gen_ai.input.messages", "[{\"role\":\"user\",\"content\":\"hi\"}]",
                "tags", List.of("a", "b"), "n", 3L));
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(clean)).get(0);
        // copy on write: no copies of spans (or their attribute maps) that hold nothing to replace
        assertThat(scrubbed).isSameAs(clean);
    }

    @Test
    void aScrubbedSpanKeepsEveryOtherAttributeInOrder() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("first", "plain");
        attributes.put("list", List.of("ok", "mail alice@example.com"));
        attributes.put("n", 7L);
        attributes.put("last", "also plain");
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(span(attributes))).get(0);
        assertThat(scrubbed.attributes().asMap().keySet()).containsExactly("first", "list", "n", "last",
                "observatory.pii.redactions", "observatory.pii.types");
        assertThat(scrubbed.attributes().raw("list")).isEqualTo(List.of("ok", "mail <EMAIL>"));
        assertThat(scrubbed.attributes().raw("first")).isEqualTo("plain");
        assertThat(scrubbed.attributes().raw("n")).isEqualTo(7L);
    }

    @Test
    void theSpanSaysItWasScrubbedAndMetricsCountByType() {
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(span(Map.of(
                "a", "alice@example.com and bob@example.org", "b", "call +44 20 7946 0958", "n", 42L)))).get(0);
        assertThat(scrubbed.attributes().raw("observatory.pii.redactions")).isEqualTo(3L);
        assertThat(scrubbed.attributes().raw("observatory.pii.types")).isEqualTo(List.of("EMAIL", "PHONE"));
        assertThat(scrubbed.attributes().raw("n")).isEqualTo(42L);
        assertThat(registry.get("observatory.enrich.pii.redactions").tag("type", "EMAIL").counter().count()).isEqualTo(2);
    }

    @Test
    void eventsLinksResourceNameAndStatusMessageAreScrubbedToo() {
        SpanRecord span = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "", 0,
                "lookup alice@example.com", 1, 1, 2, 2, "failed for 4111111111111111", "svc", Attributes.empty(), 0,
                List.of(new SpanEvent(1, "gen_ai.content.prompt", Attributes.of(Map.of("gen_ai.prompt", "ssn 123-45-6789")), 0)),
                0, List.of(), 0, Attributes.of(Map.of("host.ip", List.of("10.1.2.3"))), InstrumentationScope.EMPTY);
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(span)).get(0);
        assertThat(scrubbed.name()).isEqualTo("lookup <EMAIL>");
        assertThat(scrubbed.statusMessage()).isEqualTo("failed for <CREDIT_CARD>");
        assertThat(scrubbed.events().get(0).attributes().raw("gen_ai.prompt")).isEqualTo("ssn <US_SSN>");
        assertThat(scrubbed.resourceAttributes().raw("host.ip")).isEqualTo(List.of("<IP_ADDRESS>"));
    }

    @Test
    void scopeAttributesOfSpansAndLogsAreScrubbedToo() {
        InstrumentationScope scope = new InstrumentationScope("lib", "1.0",
                Attributes.of(Map.of("owner", "alice@example.com", "plain", "ok")));
        SpanRecord span = span(Map.of());
        span = new SpanRecord(span.traceId(), span.spanId(), "", "", 0, "chat", 3, 1, 2, 0, "", "svc",
                Attributes.empty(), 0, List.of(), 0, List.of(), 0, Attributes.empty(), scope);
        SpanRecord scrubbed = scrubber(List.of()).scrub("t", List.of(span)).get(0);
        assertThat(scrubbed.scope().attributes().raw("owner")).isEqualTo("<EMAIL>");
        assertThat(scrubbed.scope().attributes().raw("plain")).isEqualTo("ok");
        assertThat(scrubbed.scope().name()).isEqualTo("lib");
        io.llmobservatory.shared.model.LogRecordData log = new io.llmobservatory.shared.model.LogRecordData(1, 1, 9,
                "INFO", "hello", Attributes.empty(), 0, 0, "", "", "", "svc", Attributes.empty(), scope);
        assertThat(scrubber(List.of()).scrubLogs("t", List.of(log)).get(0).scope().attributes().raw("owner"))
                .isEqualTo("<EMAIL>");
    }

    @Test
    void policiesPerAttributeAndTenant() {
        SpanScrubber s = scrubber(List.of(
                new PiiPolicy.Rule("acme", List.of("gen_ai.input.messages"), PiiAction.DROP),
                new PiiPolicy.Rule(null, List.of("debug.*"), PiiAction.KEEP),
                new PiiPolicy.Rule(null, List.of("customer.email"), PiiAction.HASH)));
        Map<String, Object> attributes = Map.of("gen_ai.input.messages", "[{\"content\":\"hi alice@example.com\"}]",
                "debug.raw", "alice@example.com", "customer.email", "alice@example.com", "user.id", "alice@example.com");

        SpanRecord acme = s.scrub("acme", List.of(span(attributes))).get(0);
        assertThat(acme.attributes().asMap()).doesNotContainKey("gen_ai.input.messages");
        assertThat((String) acme.attributes().raw("gen_ai.input.messages_hash")).matches("[0-9a-f]{16}");
        assertThat(acme.attributes().raw("debug.raw")).isEqualTo("alice@example.com");
        String hashed = (String) acme.attributes().raw("customer.email");
        assertThat(hashed).matches("<EMAIL:[0-9a-f]{16}>");
        // user ids are hashed by default: per-user spend keeps working, the address is gone
        assertThat(acme.attributes().raw("user.id")).isEqualTo(hashed);

        SpanRecord other = s.scrub("other", List.of(span(attributes))).get(0);
        assertThat(other.attributes().raw("gen_ai.input.messages")).isEqualTo("[{\"content\":\"hi <EMAIL>\"}]");
        // the keyed hash is stable across spans and tenants with one key
        assertThat(other.attributes().raw("customer.email")).isEqualTo(hashed);
    }

    @Test
    void failsClosedWhenADetectorBreaks() {
        PiiDetector broken = new PiiDetector() {
            public String name() {
                return "broken";
            }

            public void find(String text, List<Finding> out) {
                if (text.contains("boom")) {
                    throw new IllegalStateException("detector bug");
                }
            }
        };
        SpanRecord scrubbed = scrubber(List.of(), List.of(broken, new EmailDetector()))
                .scrub("t", List.of(span(Map.of("secret", "boom alice@example.com", "fine", "ok")))).get(0);
        assertThat(scrubbed.attributes().asMap()).doesNotContainKey("secret");
        assertThat(scrubbed.attributes().raw("fine")).isEqualTo("ok");
        assertThat(scrubbed.attributes().raw("observatory.pii.failures")).isEqualTo(1L);
        assertThat(registry.get("observatory.enrich.pii.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void customPatternsAreDetectors() {
        SpanRecord scrubbed = scrubber(List.of(), List.of(new CustomRegexDetector("employee_id", "EMP-\\d{6}")))
                .scrub("t", List.of(span(Map.of("note", "ticket by EMP-123456")))).get(0);
        assertThat(scrubbed.attributes().raw("note")).isEqualTo("ticket by <EMPLOYEE_ID>");
    }

    static SpanRecord span(Map<String, Object> attributes) {
        return new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", "", 0, "chat", 3, 1, 2, 0, "",
                "svc", Attributes.of(new LinkedHashMap<>(attributes)), 0, List.of(), 0, List.of(), 0, Attributes.empty(),
                InstrumentationScope.EMPTY);
    }
}
