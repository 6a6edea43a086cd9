package io.llmobservatory.alerting.api;

import io.llmobservatory.alerting.eval.AlertingEngine;
import io.llmobservatory.alerting.prometheus.PrometheusRules;
import io.llmobservatory.alerting.rules.RuleFile;
import io.llmobservatory.alerting.rules.RuleRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The rules as data: list, replace, and the health rules rendered for Prometheus. */
@Path("/api/v1/rules")
public class RulesResource {
    private final RuleRepository rules;
    private final AlertingEngine engine;

    public RulesResource(RuleRepository rules, AlertingEngine engine) {
        this.rules = rules;
        this.engine = engine;
    }

    /** The current rules, as the rule file has them ({@code health}, {@code llm}). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RuleFile list() {
        return rules.current().source();
    }

    /** Replaces every rule; 400 with the rule and field at fault leaves the current rules in place. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RuleFile replace(RuleFile file) {
        return engine.replaceRules(file).source();
    }

    /** A Prometheus rule file with the health rules ({@code rule_files:} in prometheus.yml). */
    @GET
    @Path("/prometheus")
    @Produces("application/yaml")
    public String prometheus() {
        return PrometheusRules.ruleFile(rules.current());
    }

    /** The same rules as a Prometheus Operator PrometheusRule manifest. */
    @GET
    @Path("/prometheus-rule")
    @Produces("application/yaml")
    public String prometheusRule() {
        return PrometheusRules.prometheusRule(rules.current());
    }
}
