package io.llmobservatory.alerting.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmobservatory.alerting.config.AlertingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current rules: read from the rule file at start (the built-in defaults without one), replaced as a whole
 * through the API. A replacement is kept in memory: the file (a ConfigMap in Kubernetes) stays the source of truth
 * across restarts.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class RuleRepository {
    private static final Logger LOG = Logger.getLogger(RuleRepository.class);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AtomicReference<RuleSet> rules = new AtomicReference<>();

    public RuleRepository(AlertingConfig config) {
        RuleSet loaded = config.rulesFile().map(RuleRepository::fromFile).orElseGet(RuleRepository::defaults);
        rules.set(loaded);
        LOG.infof("alerting: %d health rules, %d LLM rules from %s", loaded.health().size(), loaded.llm().size(),
                config.rulesFile().orElse("the built-in defaults"));
    }

    public RuleSet current() {
        return rules.get();
    }

    /** Validates and installs {@code file}; a {@link RuleSyntaxException} leaves the current rules in place. */
    public RuleSet replace(RuleFile file) {
        RuleSet next = RuleSet.of(file);
        rules.set(next);
        return next;
    }

    /** Parses YAML (or JSON, a subset) rule text. */
    public static RuleSet parse(String text) {
        try {
            return RuleSet.of(YAML.readValue(text, RuleFile.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RuleSyntaxException("the rule file is not valid YAML for rules: " + e.getOriginalMessage(), -1);
        }
    }

    static RuleSet fromFile(String path) {
        try {
            return parse(Files.readString(Path.of(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule file " + path, e);
        }
    }

    static RuleSet defaults() {
        try (InputStream in = RuleRepository.class.getResourceAsStream("/default-rules.yaml")) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
