package io.llmobservatory.alerting.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The alerting service's settings ({@code observatory.alerting.*}). */
@ConfigMapping(prefix = "observatory.alerting")
public interface AlertingConfig {
    /** The rule file (YAML or JSON); absent: the built-in defaults (classpath {@code default-rules.yaml}). */
    Optional<String> rulesFile();

    /** How often rules are evaluated (and, in embedded mode, the services' metrics scraped). */
    @WithDefault("15s")
    Duration evaluationInterval();

    /** Embedded health evaluation: the metrics endpoints scraped; empty disables it (a Prometheus does it). */
    @WithDefault("http://127.0.0.1:4318/q/metrics,http://127.0.0.1:8081/q/metrics")
    List<String> scrapeTargets();

    /** Whether this service evaluates the health rules itself (off when a cluster Prometheus loads them). */
    @WithDefault("true")
    boolean evaluateHealthRules();

    Delivery delivery();

    /** The query service whose LlmStats gRPC service the LLM rules read (its HTTP port). */
    Query query();

    interface Query {
        @WithDefault("localhost")
        String host();

        @WithDefault("8080")
        int port();
    }

    interface Delivery {
        /** Alertmanager base URL, e.g. http://alertmanager:9093; absent: no Alertmanager. */
        Optional<String> alertmanagerUrl();

        /** Generic webhooks receiving Alertmanager's webhook payload (version 4). */
        Optional<List<String>> webhooks();

        /** How often a firing alert is re-sent to Alertmanager (its endsAt is four times this ahead). */
        @WithDefault("1m")
        Duration resendInterval();

        /** Attempts per notification before it is counted as failed and dropped. */
        @WithDefault("5")
        int maxAttempts();

        /** The first retry delay; doubled after each failed attempt. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Notifications waiting for delivery at most; beyond it the oldest are dropped and counted. */
        @WithDefault("1000")
        int queueCapacity();
    }
}
