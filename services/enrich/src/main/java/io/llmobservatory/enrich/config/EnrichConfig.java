package io.llmobservatory.enrich.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the enrich service ({@code observatory.enrich.*}; env {@code OBSERVATORY_ENRICH_*}). */
@ConfigMapping(prefix = "observatory.enrich")
public interface EnrichConfig {

    Prices prices();

    Storage storage();

    Pii pii();

    /** PII scrubbing, applied to every span before anything is stored. */
    interface Pii {
        /** Off only for data known to be free of personal data. */
        @WithDefault("true")
        boolean enabled();

        /** Action for attributes no rule names: redact detected values with a typed placeholder. */
        @WithDefault("redact")
        io.llmobservatory.enrich.pii.PiiAction defaultAction();

        /**
         * Key of the keyed hash (HMAC-SHA-256) used by {@code hash} and {@code drop}. Set it per deployment; the
         * built-in default keeps hashes stable but is public.
         */
        @WithDefault("llm-observatory-default-pii-key-change-me")
        String hashKey();

        /** Ordered rules; the first whose tenant and attribute globs match decides. */
        Optional<List<Rule>> rules();

        /** Operator patterns, each a detector of its own. */
        Optional<List<Custom>> custom();

        /** Built-in detectors to switch off, by name (email, phone, credit_card, us_ssn, iban, ip_address, secret). */
        Optional<List<String>> disabledDetectors();

        interface Rule {
            /** Only for this tenant; absent = all tenants. */
            Optional<String> tenant();

            /** Attribute key globs, e.g. {@code gen_ai.prompt.*}. */
            List<String> attributes();

            io.llmobservatory.enrich.pii.PiiAction action();
        }

        interface Custom {
            /** Detector name; its placeholder is the upper-cased name, e.g. {@code <EMPLOYEE_ID>}. */
            String name();

            /** Java regular expression. */
            String pattern();
        }
    }

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
