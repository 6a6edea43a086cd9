package io.llmobservatory.alerting.eval;

import io.llmobservatory.alerting.config.AlertingConfig;
import io.llmobservatory.alerting.delivery.Notifier;
import io.llmobservatory.alerting.llm.LlmRuleValues;
import io.llmobservatory.alerting.rules.Rule;
import io.llmobservatory.alerting.rules.RuleFile;
import io.llmobservatory.alerting.rules.RuleRepository;
import io.llmobservatory.alerting.rules.RuleSet;
import io.llmobservatory.alerting.scrape.PrometheusText;
import io.llmobservatory.alerting.scrape.SeriesHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the rules every evaluation interval on one thread: scrapes the services' metrics (embedded health
 * evaluation), evaluates health rules over them and LLM rules through the query service, and hands what changed to
 * the {@link Notifier}. A failing scrape or query skips that rule's evaluation this round (its alerts keep their
 * state) and is counted.
 */
@ApplicationScoped
public class AlertingEngine {
    private static final Logger LOG = Logger.getLogger(AlertingEngine.class);

    private final AlertingConfig config;
    private final RuleRepository rules;
    private final LlmRuleValues llm;
    private final Notifier notifier;
    private final AlertEvaluator evaluator;
    private final SeriesHistory history = new SeriesHistory();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-evaluation");
        t.setDaemon(true);
        return t;
    });

    public AlertingEngine(AlertingConfig config, RuleRepository rules, LlmRuleValues llm, Notifier notifier,
                          MeterRegistry registry) {
        this.config = config;
        this.rules = rules;
        this.llm = llm;
        this.notifier = notifier;
        this.registry = registry;
        this.evaluator = new AlertEvaluator(config.delivery().resendInterval());
    }

    void start(@Observes StartupEvent event) {
        long every = config.evaluationInterval().toMillis();
        executor.scheduleWithFixedDelay(this::evaluateSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    public AlertEvaluator evaluator() {
        return evaluator;
    }

    /** Installs new rules (validated) and resolves the alerts of rules that are gone. */
    public RuleSet replaceRules(RuleFile file) {
        RuleSet next = rules.replace(file);
        Set<String> names = Stream.concat(next.health().stream(), next.llm().stream()).map(Rule::name)
                .collect(Collectors.toSet());
        notifier.send(evaluator.retainRules(names, clock.instant()));
        return next;
    }

    private void evaluateSafely() {
        try {
            evaluate(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf(e, "rule evaluation failed");
        }
    }

    void evaluate(Instant now) {
        RuleSet current = rules.current();
        List<Notification> out = new ArrayList<>();
        if (config.evaluateHealthRules() && !current.health().isEmpty()) {
            history.keepFor(current.health().stream().map(r -> r.expr().lookback()).max(Duration::compareTo)
                    .orElse(Duration.ZERO));
            boolean scraped = scrape(now);
            for (Rule.HealthRule rule : current.health()) {
                if (scraped) {
                    out.addAll(evaluator.evaluate(spec(rule), history.evaluate(rule.expr(), now), now));
                }
            }
        }
        for (Rule.LlmRule rule : current.llm()) {
            Map<Map<String, String>, Double> active;
            try {
                active = llm.active(rule);
            } catch (RuntimeException e) {
                Counter.builder("observatory.alerting.evaluation.failures").tag("rule", rule.name()).register(registry)
                        .increment();
                LOG.debugf("LLM rule %s not evaluated: %s", rule.name(), e.getMessage());
                continue;
            }
            out.addAll(evaluator.evaluate(spec(rule), active, now));
        }
        notifier.send(out);
    }

    /** Scrapes every target; true when at least one answered (an unreachable one only loses its own series). */
    private boolean scrape(Instant now) {
        boolean any = false;
        for (String target : config.scrapeTargets()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    URI uri = URI.create(target);
                    history.add(PrometheusText.parse(response.body()), uri.getHost() + ":" + uri.getPort(), now);
                    any = true;
                    continue;
                }
            } catch (java.io.IOException e) {
                // counted below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return any;
            }
            Counter.builder("observatory.alerting.scrape.failures").tag("target", target).register(registry).increment();
        }
        return any;
    }

    private static AlertEvaluator.RuleSpec spec(Rule rule) {
        return new AlertEvaluator.RuleSpec(rule.name(), rule.forDuration(), rule.labels(), rule.annotations());
    }
}
