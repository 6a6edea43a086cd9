package io.llmobservatory.enrich.pii;

import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.model.SpanEvent;
import io.llmobservatory.shared.model.SpanLink;
import io.llmobservatory.shared.model.SpanRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scrubs spans and log records before anything is stored: attributes of the span, its events and links, its resource, and its
 * name and status message, each string per the tenant's policy for its key (strings inside arrays, maps and JSON
 * text included). Fails closed: a value whose scrubbing fails is dropped, never stored raw. A scrubbed span says so
 * ({@code observatory.pii.redactions}, {@code observatory.pii.types}, {@code observatory.pii.failures}).
 */
@ApplicationScoped
public class SpanScrubber {
    private static final Logger LOG = Logger.getLogger(SpanScrubber.class);
    static final String REDACTIONS = "observatory.pii.redactions";
    static final String TYPES = "observatory.pii.types";
    static final String FAILURES = "observatory.pii.failures";
    private static final String NAME_KEY = "span.name";
    private static final String STATUS_KEY = "span.status_message";
    private static final String LOG_BODY_KEY = "log.body";

    private final boolean enabled;
    private final PiiPolicy policy;
    private final TextScrubber text;
    private final Hasher hasher;
    private final MeterRegistry registry;
    private final Counter failures;

    @Inject
    public SpanScrubber(EnrichConfig config, @All List<PiiDetector> builtIn, MeterRegistry registry) {
        this(config.pii().enabled(), detectors(config.pii(), builtIn), policy(config.pii()), config.pii().hashKey(),
                registry);
        if (config.pii().hashKey().equals("llm-observatory-default-pii-key-change-me")) {
            LOG.warn("PII hashing uses the built-in key; set observatory.enrich.pii.hash-key (OBSERVATORY_ENRICH_PII_HASH_KEY)");
        }
    }

    /** For tests and benchmarks. */
    public SpanScrubber(boolean enabled, List<PiiDetector> detectors, PiiPolicy policy, String hashKey,
                        MeterRegistry registry) {
        this.enabled = enabled;
        this.policy = policy;
        this.hasher = new Hasher(hashKey);
        this.text = new TextScrubber(detectors, hasher);
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        this.failures = Counter.builder("observatory.enrich.pii.failures")
                .description("Values dropped because scrubbing them failed (fail closed)").register(this.registry);
    }

    /** The built-in detectors plus the operator's patterns, minus the disabled ones. */
    public static List<PiiDetector> detectors(EnrichConfig.Pii config, List<PiiDetector> builtIn) {
        List<String> disabled = config.disabledDetectors().orElse(List.of()).stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        List<String> known = builtIn.stream().map(PiiDetector::name).toList();
        for (String name : disabled) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("observatory.enrich.pii.disabled-detectors: unknown detector '"
                        + name + "'; known: " + known);
            }
        }
        List<PiiDetector> out = new ArrayList<>(builtIn.stream().filter(d -> !disabled.contains(d.name())).toList());
        config.custom().orElse(List.of()).forEach(c -> out.add(new CustomRegexDetector(c.name(), c.pattern())));
        return out;
    }

    static PiiPolicy policy(EnrichConfig.Pii config) {
        List<PiiPolicy.Rule> rules = config.rules().orElse(List.of()).stream()
                .map(r -> new PiiPolicy.Rule(r.tenant().orElse(null), r.attributes(), r.action())).toList();
        return new PiiPolicy(rules, config.defaultAction());
    }

    public List<SpanRecord> scrub(String tenant, List<SpanRecord> spans) {
        if (!enabled) {
            return spans;
        }
        // Spans of one resource share its attributes: scrub each resource once per batch.
        Map<Attributes, Attributes> resources = new IdentityHashMap<>();
        List<SpanRecord> out = new ArrayList<>(spans.size());
        for (SpanRecord span : spans) {
            out.add(scrub(tenant, span, resources));
        }
        return out;
    }

    /** Log records get the same treatment: body ({@code log.body} in policies), attributes and resource. */
    public List<LogRecordData> scrubLogs(String tenant, List<LogRecordData> records) {
        if (!enabled) {
            return records;
        }
        Map<Attributes, Attributes> resources = new IdentityHashMap<>();
        List<LogRecordData> out = new ArrayList<>(records.size());
        for (LogRecordData r : records) {
            ScrubStats stats = new ScrubStats();
            Object body = r.body();
            PiiAction bodyAction = policy.action(tenant, LOG_BODY_KEY);
            Map<String, Object> attributes = scrubAttributes(tenant, r.attributes(), stats);
            if (body != null && bodyAction != PiiAction.KEEP) {
                try {
                    if (bodyAction == PiiAction.DROP) {
                        attributes.put(LOG_BODY_KEY + "_hash", hasher.hash(String.valueOf(body)));
                        body = null;
                        stats.found("DROPPED");
                    } else {
                        body = scrubValue(body, bodyAction, stats);
                    }
                } catch (RuntimeException | StackOverflowError failure) {
                    body = null;
                    stats.failures++;
                }
            }
            record(stats, attributes);
            Attributes resource = resources.computeIfAbsent(r.resourceAttributes(),
                    a -> Attributes.of(scrubAttributes(tenant, a, new ScrubStats())));
            out.add(r.with(body, Attributes.of(attributes), resource));
        }
        return out;
    }

    private void record(ScrubStats stats, Map<String, Object> attributes) {
        if (stats.isEmpty()) {
            return;
        }
        if (stats.total() > 0) {
            attributes.put(REDACTIONS, (long) stats.total());
            attributes.put(TYPES, new ArrayList<Object>(stats.byType.keySet()));
            stats.byType.forEach((type, n) -> Counter.builder("observatory.enrich.pii.redactions")
                    .description("Sensitive values replaced, by detected type").tag("type", type)
                    .register(registry).increment(n));
        }
        if (stats.failures > 0) {
            attributes.put(FAILURES, (long) stats.failures);
            failures.increment(stats.failures);
        }
    }

    private SpanRecord scrub(String tenant, SpanRecord span, Map<Attributes, Attributes> resources) {
        ScrubStats stats = new ScrubStats();
        Map<String, Object> attributes = scrubAttributes(tenant, span.attributes(), stats);
        List<SpanEvent> events = new ArrayList<>(span.events().size());
        for (SpanEvent e : span.events()) {
            events.add(new SpanEvent(e.timeUnixNano(), scrubField(tenant, NAME_KEY, e.name(), stats),
                    Attributes.of(scrubAttributes(tenant, e.attributes(), stats)), e.droppedAttributesCount()));
        }
        List<SpanLink> links = new ArrayList<>(span.links().size());
        for (SpanLink l : span.links()) {
            links.add(new SpanLink(l.traceId(), l.spanId(), l.traceState(),
                    Attributes.of(scrubAttributes(tenant, l.attributes(), stats)), l.droppedAttributesCount(), l.flags()));
        }
        Attributes resource = resources.computeIfAbsent(span.resourceAttributes(),
                r -> Attributes.of(scrubAttributes(tenant, r, new ScrubStats())));
        String name = scrubField(tenant, NAME_KEY, span.name(), stats);
        String status = scrubField(tenant, STATUS_KEY, span.statusMessage(), stats);
        record(stats, attributes);
        return new SpanRecord(span.traceId(), span.spanId(), span.parentSpanId(), span.traceState(), span.flags(), name,
                span.kind(), span.startTimeUnixNano(), span.endTimeUnixNano(), span.statusCode(), status,
                span.serviceName(), Attributes.of(attributes), span.droppedAttributesCount(), events,
                span.droppedEventsCount(), links, span.droppedLinksCount(), resource, span.scope());
    }

    private Map<String, Object> scrubAttributes(String tenant, Attributes attributes, ScrubStats stats) {
        Map<String, Object> out = new LinkedHashMap<>(attributes.size() + 4);
        for (Map.Entry<String, Object> e : attributes.asMap().entrySet()) {
            String key = e.getKey();
            PiiAction action = policy.action(tenant, key);
            Object value = e.getValue();
            if (action == PiiAction.KEEP || !(value instanceof String || value instanceof List || value instanceof Map)) {
                out.put(key, value);
                continue;
            }
            try {
                if (action == PiiAction.DROP) {
                    out.put(key + "_hash", hasher.hash(String.valueOf(value)));
                    stats.found("DROPPED");
                } else {
                    out.put(key, scrubValue(value, action, stats));
                }
            } catch (RuntimeException | StackOverflowError failure) {
                // Fail closed: the value is dropped, never stored raw.
                stats.failures++;
                LOG.debugf("dropped attribute %s: scrubbing failed: %s", key, failure);
            }
        }
        return out;
    }

    private Object scrubValue(Object value, PiiAction action, ScrubStats stats) {
        if (value instanceof String s) {
            return text.scrub(s, action, stats);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object v : list) {
                out.add(scrubValue(v, action, stats));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), scrubValue(v, action, stats)));
            return out;
        }
        return value;
    }

    private String scrubField(String tenant, String key, String value, ScrubStats stats) {
        PiiAction action = policy.action(tenant, key);
        if (value == null || value.isEmpty() || action == PiiAction.KEEP) {
            return value;
        }
        try {
            return action == PiiAction.DROP ? "<DROPPED:" + hasher.hash(value) + ">" : text.scrub(value, action, stats);
        } catch (RuntimeException | StackOverflowError failure) {
            stats.failures++;
            return "<SCRUB_FAILED>";
        }
    }
}
