package io.llmobservatory.enrich.sampling;

/**
 * One tail-sampling policy, evaluated once per trace. A new policy is one class implementing this interface plus a
 * case in {@link PolicyFactory}; policies compose with {@code and} and {@code composite}.
 */
public interface SamplingPolicy {

    /** The name given in config, used in metrics and errors. */
    String name();

    Decision evaluate(TraceGroup trace);
}
