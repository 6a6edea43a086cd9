package io.llmobservatory.enrich.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the enrich service ({@code observatory.enrich.*}; env {@code OBSERVATORY_ENRICH_*}). */
@ConfigMapping(prefix = "observatory.enrich")
public interface EnrichConfig {

    Prices prices();

    Storage storage();

    interface Prices {
        /** Classpath resource of the genai-prices v2 feed. */
        @WithDefault("prices/genai-prices.json")
        String resource();

        /** Catalog version stored as every cost's source; change it when the file changes. */
        @WithDefault("genai-prices@47df840a")
        String version();
    }

    interface Storage {
        /** Seconds a batch write may take before the call fails as retryable. */
        @WithDefault("10")
        int writeTimeoutSeconds();
    }
}
