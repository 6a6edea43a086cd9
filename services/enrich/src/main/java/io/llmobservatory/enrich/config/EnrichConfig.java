package io.llmobservatory.enrich.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

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

        /**
         * A LiteLLM {@code model_prices_and_context_window.json} to import; its prices win over the built-in
         * catalog for the models it names.
         */
        Optional<String> litellmFile();

        /** How often each replica reloads operator price overrides from the database. */
        @WithDefault("15s")
        Duration overrideRefresh();
    }

    interface Storage {
        /** Seconds a batch write may take before the call fails as retryable. */
        @WithDefault("10")
        int writeTimeoutSeconds();
    }
}
