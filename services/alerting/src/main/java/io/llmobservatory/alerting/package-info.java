/**
 * The alerting service: evaluates rules on collector health and LLM metrics and delivers alerts through
 * Alertmanager. Until the rule engine lands it runs with health ({@code /q/health}) and metrics
 * ({@code /q/metrics}) endpoints only.
 */
package io.llmobservatory.alerting;
