package io.llmobservatory.enrich.cost;

import java.time.Instant;
import java.util.Optional;

/** A catalog of model prices: genai-prices (built in), a LiteLLM price file (imported). */
public interface PriceSource {

    /** Version stored with every cost priced from this source. */
    String version();

    /** The prices of {@code model} as named by {@code provider} (OpenTelemetry name, may be null) at a time. */
    Optional<PriceMatch> find(String provider, String model, Instant at);
}
