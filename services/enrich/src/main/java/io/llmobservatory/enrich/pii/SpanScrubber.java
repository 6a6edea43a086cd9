package io.llmobservatory.enrich.pii;

import io.llmobservatory.pii.BuiltInDetectors;
import io.llmobservatory.pii.PiiDetector;
import io.llmobservatory.pii.PiiScanner;
import io.llmobservatory.enrich.config.EnrichConfig;
import io.llmobservatory.shared.model.Attributes;
import io.llmobservatory.shared.model.InstrumentationScope;
import io.llmobservatory.shared.model.LogRecordData;
import io.llmobservatory.shared.model.MetricPoint;
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
 * Scrubs every signal before anything is stored, with one policy: spans (attributes of the span, its events and links,
 * its resource and scope, its name and status message), log records (body, attributes, resource, scope) and metric
 * data points (attributes, exemplars' filtered attributes, resource, scope); each string per the tenant's policy for
 * its key (strings inside arrays, maps and JSON text included). Fails closed: a value whose scrubbing fails is dropped, never stored raw. A scrubbed span says so
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
    private static final String EXEMPLAR_ATTRIBUTES = "filteredAttributes";

    private final boolean enabled;
    private final PiiPolicy policy;
    private final TextScrubber text;
    private final Hasher hasher;
    private final MeterRegistry registry;
    private final Counter failures;

    @Inject
    public SpanScrubber(EnrichConfig config, @All List<PiiDetector> ownDetectors, MeterRegistry registry) {
        this(config.pii().enabled(), detectors(config.pii(), builtIn(ownDetectors)), policy(config.pii()),
                config.pii().hashKey(), registry);
    }

    /** For tests and benchmarks: the detectors run through the single-pass scanner, as in the service. */
    public SpanScrubber(boolean enabled, List<PiiDetector> detectors, PiiPolicy policy, String hashKey,
                        MeterRegistry registry) {
        this(enabled, PiiScanner.singlePass(detectors), policy, hashKey, registry);
    }

    /** For benchmarks comparing scanners ({@link PiiScanner#sequential} is the reference). */
    public SpanScrubber(boolean enabled, PiiScanner scanner, PiiPolicy policy, String hashKey, MeterRegistry registry) {
        this.enabled = enabled;
        this.policy = policy;
        this.hasher = new Hasher(hashKey);
        this.text = new TextScrubber(scanner, hasher);
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        this.failures = Counter.builder("observatory.enrich.pii.failures")
                .description("Values dropped because scrubbing them failed (fail closed)").register(this.registry);
    }

    /** The detectors the suite shares with the SDK, then any of enrich's own (CDI beans). */
    static List<PiiDetector> builtIn(List<PiiDetector> ownDetectors) {
        List<PiiDetector> all = new ArrayList<>(BuiltInDetectors.all());
        all.addAll(ownDetectors);
        return all;
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
        // Spans of one resource (and scope) share its attributes: scrub each resource and scope once per batch.
        Map<Attributes, Attributes> resources = new IdentityHashMap<>();
        Map<InstrumentationScope, InstrumentationScope> scopes = new IdentityHashMap<>();
        List<SpanRecord> out = new ArrayList<>(spans.size());
        for (SpanRecord span : spans) {
            out.add(scrub(tenant, span, resources, scopes));
        }
        return out;
    }

    /** Log records get the same treatment: body ({@code log.body} in policies), attributes and resource. */
    public List<LogRecordData> scrubLogs(String tenant, List<LogRecordData> records) {
        if (!enabled) {
            return records;
        }
        Map<Attributes, Attributes> resources = new IdentityHashMap<>();
        Map<InstrumentationScope, InstrumentationScope> scopes = new IdentityHashMap<>();
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
                    a -> scrubbed(tenant, a, new ScrubStats()));
            LogRecordData scrubbed = r.with(body, Attributes.wrap(attributes), resource);
            InstrumentationScope scope = scopes.computeIfAbsent(r.scope(), sc -> scrubbed(tenant, sc));
            out.add(scope == r.scope() ? scrubbed : new LogRecordData(scrubbed.timeUnixNano(),
                    scrubbed.observedTimeUnixNano(), scrubbed.severityNumber(), scrubbed.severityText(), scrubbed.body(),
                    scrubbed.attributes(), scrubbed.droppedAttributesCount(), scrubbed.flags(), scrubbed.traceId(),
                    scrubbed.spanId(), scrubbed.eventName(), scrubbed.serviceName(), scrubbed.resourceAttributes(), scope));
        }
        return out;
    }

    /**
     * Metric data points get the same policy as spans and logs: their attributes, their exemplars' filtered
     * attributes, resource and scope. Unlike spans, a point carries no {@code observatory.pii.*} markers: its
     * attributes are its series identity, and a marker would show up as a dimension; the redaction counters count
     * them as for every signal.
     */
    public List<MetricPoint> scrubMetrics(String tenant, List<MetricPoint> points) {
        if (!enabled) {
            return points;
        }
        Map<Attributes, Attributes> resources = new IdentityHashMap<>();
        Map<InstrumentationScope, InstrumentationScope> scopes = new IdentityHashMap<>();
        List<MetricPoint> out = new ArrayList<>(points.size());
        for (MetricPoint p : points) {
            ScrubStats stats = new ScrubStats();
            Attributes attributes = scrubbed(tenant, p.attributes(), stats);
            List<Map<String, Object>> exemplars = scrubExemplars(tenant, p.exemplars(), stats);
            Attributes resource = resources.computeIfAbsent(p.resourceAttributes(),
                    a -> scrubbed(tenant, a, new ScrubStats()));
            InstrumentationScope scope = scopes.computeIfAbsent(p.scope(), sc -> scrubbed(tenant, sc));
            record(stats, new LinkedHashMap<>());
            if (attributes == p.attributes() && exemplars == p.exemplars() && resource == p.resourceAttributes()
                    && scope == p.scope()) {
                out.add(p);
                continue;
            }
            out.add(new MetricPoint(p.name(), p.description(), p.unit(), p.type(), p.temporality(), p.monotonic(),
                    p.startTimeUnixNano(), p.timeUnixNano(), attributes, p.doubleValue(), p.longValue(), p.count(),
                    p.sum(), p.min(), p.max(), p.bucketCounts(), p.explicitBounds(), p.exponential(), p.quantiles(),
                    exemplars, p.flags(), p.serviceName(), resource, scope));
        }
        return out;
    }

    private List<Map<String, Object>> scrubExemplars(String tenant, List<Map<String, Object>> exemplars,
                                                     ScrubStats stats) {
        if (exemplars == null) {
            return null;
        }
        List<Map<String, Object>> out = exemplars;
        for (int i = 0; i < exemplars.size(); i++) {
            Map<String, Object> x = exemplars.get(i);
            if (!(x.get(EXEMPLAR_ATTRIBUTES) instanceof Map<?, ?> filtered) || filtered.isEmpty()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Attributes before = Attributes.of((Map<String, Object>) filtered);
            Attributes after = scrubbed(tenant, before, stats);
            if (after != before) {
                out = out == exemplars ? new ArrayList<>(exemplars) : out;
                Map<String, Object> copy = new LinkedHashMap<>(x);
                copy.put(EXEMPLAR_ATTRIBUTES, after.asMap());
                out.set(i, copy);
            }
        }
        return out;
    }

    /** The scope with its attributes scrubbed (its name and version are the library's, not the user's). */
    private InstrumentationScope scrubbed(String tenant, InstrumentationScope scope) {
        if (scope == null) {
            return null;
        }
        Attributes attributes = scrubbed(tenant, scope.attributes(), new ScrubStats());
        return attributes == scope.attributes() ? scope
                : new InstrumentationScope(scope.name(), scope.version(), attributes);
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

    /**
     * The span scrubbed per policy. Copy on write: most spans hold nothing to replace, and for those the span, its
     * attribute maps, events and links are returned as they are instead of copied (the copies were a quarter of
     * the in-memory pipeline's allocation per span, docs/benchmarks.md).
     */
    private SpanRecord scrub(String tenant, SpanRecord span, Map<Attributes, Attributes> resources,
                             Map<InstrumentationScope, InstrumentationScope> scopes) {
        ScrubStats stats = new ScrubStats();
        Map<String, Object> changed = changedAttributes(tenant, span.attributes(), stats);
        List<SpanEvent> events = span.events();
        for (int i = 0; i < span.events().size(); i++) {
            SpanEvent e = span.events().get(i);
            String name = scrubField(tenant, NAME_KEY, e.name(), stats);
            Attributes attributes = scrubbed(tenant, e.attributes(), stats);
            if (name != e.name() || attributes != e.attributes()) {
                events = events == span.events() ? new ArrayList<>(span.events()) : events;
                events.set(i, new SpanEvent(e.timeUnixNano(), name, attributes, e.droppedAttributesCount()));
            }
        }
        List<SpanLink> links = span.links();
        for (int i = 0; i < span.links().size(); i++) {
            SpanLink l = span.links().get(i);
            Attributes attributes = scrubbed(tenant, l.attributes(), stats);
            if (attributes != l.attributes()) {
                links = links == span.links() ? new ArrayList<>(span.links()) : links;
                links.set(i, new SpanLink(l.traceId(), l.spanId(), l.traceState(), attributes,
                        l.droppedAttributesCount(), l.flags()));
            }
        }
        Attributes resource = resources.computeIfAbsent(span.resourceAttributes(),
                r -> scrubbed(tenant, r, new ScrubStats()));
        InstrumentationScope scope = scopes.computeIfAbsent(span.scope(), sc -> scrubbed(tenant, sc));
        String name = scrubField(tenant, NAME_KEY, span.name(), stats);
        String status = scrubField(tenant, STATUS_KEY, span.statusMessage(), stats);
        if (!stats.isEmpty()) {
            changed = changed != null ? changed : copy(span.attributes());
            record(stats, changed);
        }
        if (changed == null && events == span.events() && links == span.links()
                && resource == span.resourceAttributes() && scope == span.scope() && name == span.name()
                && status == span.statusMessage()) {
            return span;
        }
        return new SpanRecord(span.traceId(), span.spanId(), span.parentSpanId(), span.traceState(), span.flags(), name,
                span.kind(), span.startTimeUnixNano(), span.endTimeUnixNano(), span.statusCode(), status,
                span.serviceName(), changed == null ? span.attributes() : Attributes.wrap(changed),
                span.droppedAttributesCount(), events, span.droppedEventsCount(), links, span.droppedLinksCount(),
                resource, scope);
    }

    /** The attributes scrubbed: the same object when nothing in them changed. */
    private Attributes scrubbed(String tenant, Attributes attributes, ScrubStats stats) {
        Map<String, Object> changed = changedAttributes(tenant, attributes, stats);
        return changed == null ? attributes : Attributes.wrap(changed);
    }

    /** The attributes scrubbed, as a new map the caller may add to. */
    private Map<String, Object> scrubAttributes(String tenant, Attributes attributes, ScrubStats stats) {
        Map<String, Object> changed = changedAttributes(tenant, attributes, stats);
        return changed != null ? changed : copy(attributes);
    }

    private static Map<String, Object> copy(Attributes attributes) {
        return firstEntries(attributes, attributes.size());
    }

    /**
     * The scrubbed attributes as a new map, or null when scrubbing changed nothing (no value replaced, hashed or
     * dropped). Entries keep their order; the copy starts at the first change.
     */
    private Map<String, Object> changedAttributes(String tenant, Attributes attributes, ScrubStats stats) {
        Map<String, Object> out = null;
        int index = -1;
        for (Map.Entry<String, Object> e : attributes.asMap().entrySet()) {
            index++;
            String key = e.getKey();
            PiiAction action = policy.action(tenant, key);
            Object value = e.getValue();
            Object scrubbed = value;
            if (action != PiiAction.KEEP && (value instanceof String || value instanceof List || value instanceof Map)) {
                try {
                    scrubbed = action == PiiAction.DROP ? null : scrubValue(value, action, stats);
                } catch (RuntimeException | StackOverflowError failure) {
                    // Fail closed: the value is dropped, never stored raw.
                    stats.failures++;
                    LOG.debugf("dropped attribute %s: scrubbing failed: %s", key, failure);
                    out = out != null ? out : firstEntries(attributes, index);
                    continue;
                }
            }
            if (scrubbed == value) {
                if (out != null) {
                    out.put(key, value);
                }
                continue;
            }
            out = out != null ? out : firstEntries(attributes, index);
            if (action != PiiAction.DROP) {
                out.put(key, scrubbed);
                continue;
            }
            try {
                out.put(key + "_hash", hasher.hash(String.valueOf(value)));
                stats.found("DROPPED");
            } catch (RuntimeException | StackOverflowError failure) {
                stats.failures++;
                LOG.debugf("dropped attribute %s: hashing failed: %s", key, failure);
            }
        }
        return out;
    }

    /** A new map with the first {@code n} entries of the attributes, room for the rest and the PII counters. */
    private static Map<String, Object> firstEntries(Attributes attributes, int n) {
        Map<String, Object> out = new LinkedHashMap<>((attributes.size() + 4) * 4 / 3 + 1);
        int i = 0;
        for (Map.Entry<String, Object> e : attributes.asMap().entrySet()) {
            if (i++ == n) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The value scrubbed; the same object when nothing in it changed. */
    private Object scrubValue(Object value, PiiAction action, ScrubStats stats) {
        if (value instanceof String s) {
            return text.scrub(s, action, stats);
        }
        if (value instanceof List<?> list) {
            List<Object> out = null;
            for (int i = 0; i < list.size(); i++) {
                Object v = list.get(i);
                Object scrubbed = scrubValue(v, action, stats);
                if (scrubbed != v && out == null) {
                    out = new ArrayList<>(list);
                }
                if (out != null) {
                    out.set(i, scrubbed);
                }
            }
            return out == null ? value : out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object scrubbed = scrubValue(e.getValue(), action, stats);
                changed |= scrubbed != e.getValue() || !(e.getKey() instanceof String);
                out.put(String.valueOf(e.getKey()), scrubbed);
            }
            return changed ? out : value;
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
