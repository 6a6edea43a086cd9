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

    WriteAheadLog wal();

    Pii pii();

    Sampling sampling();

    Stores stores();

    Retention retention();

    /** How long data is kept; applied by PartitionMaintenance (dropping whole partitions or chunks). */
    interface Retention {
        /** Spans, logs and metric points. */
        @WithDefault("7d")
        Duration raw();

        /** LLM-call facts (the cost queries read them). */
        @WithDefault("90d")
        Duration llmCalls();

        /** The hourly and daily rollups (per model and per user; latency histograms); per-minute ones follow llmCalls. */
        @WithDefault("400d")
        Duration rollups();

        /** How often partitions are created ahead and old data dropped. */
        @WithDefault("1h")
        Duration interval();

        /** Daily partitions created ahead of today (native partitioning). */
        @WithDefault("3")
        int partitionsAhead();
    }

    /** Where each signal goes. LLM-call facts and metrics always go to PostgreSQL. */
    interface Stores {
        /** postgres (default), tempo, or both. */
        @WithDefault("postgres")
        Choice traces();

        /** postgres (default), loki, or both. */
        @WithDefault("postgres")
        Choice logs();

        Tempo tempo();

        Loki loki();

        Export export();

        enum Choice { POSTGRES, TEMPO, LOKI, BOTH }

        interface Tempo {
            /** Tempo's OTLP/gRPC receiver, host:port (e.g. tempo:4317). */
            Optional<String> otlpEndpoint();
        }

        interface Loki {
            /** Loki's base URL (e.g. http://loki:3100). */
            Optional<String> url();

            /**
             * Whether pushes carry structured metadata (Loki 3.0 and later) or a JSON envelope line instead (before
             * 3.0, which refuses structured metadata): auto (by the version Loki reports), true, false.
             */
            @WithDefault("auto")
            StructuredMetadata structuredMetadata();

            enum StructuredMetadata { AUTO, TRUE, FALSE }
        }

        /** The asynchronous export queue used when a signal goes to PostgreSQL and Tempo/Loki both. */
        interface Export {
            /** Batches held at most; beyond it new batches are not queued (counted as enqueue failures). */
            @WithDefault("1000")
            int queueCapacity();

            /** Attempts per batch before it is counted as failed. */
            @WithDefault("6")
            int maxAttempts();

            @WithDefault("1s")
            Duration initialBackoff();

            @WithDefault("30s")
            Duration maxBackoff();

            /** Per-request timeout towards Tempo or Loki. */
            @WithDefault("10s")
            Duration timeout();
        }
    }

    /**
     * Which spans are stored. LLM-call facts are stored for every call whatever this says; sampling only decides
     * which full spans are kept.
     */
    interface Sampling {
        /** none (keep every span), priority (head, per trace, consistent by trace id) or tail (buffered). */
        @WithDefault("none")
        Mode mode();

        Priority priority();

        Tail tail();

        enum Mode { NONE, PRIORITY, TAIL }

        /** The seed's PrioritySampler { base_rate, error_rate, slow_threshold_ms }, plus a cost threshold. */
        interface Priority {
            /** Share of ordinary traces kept, 0-1. */
            @WithDefault("0.01")
            double baseRate();

            /** Share of traces with an error span kept, 0-1. */
            @WithDefault("1.0")
            double errorRate();

            /** Traces at least this long are kept. */
            @WithDefault("5000")
            long slowThresholdMs();

            /** Traces whose LLM calls cost at least this much (USD) are kept. */
            @WithDefault("0.10")
            java.math.BigDecimal costThresholdUsd();
        }

        /** Like the Collector's tail_sampling processor. */
        interface Tail {
            /** How long after a trace's first span to decide on it. */
            @WithDefault("10s")
            Duration decisionWait();

            /** Traces held at most; beyond it the oldest are decided early (counted), never dropped unseen. */
            @WithDefault("50000")
            int numTraces();

            /** Policies as JSON in the Collector's shape; a trace is kept when any policy samples it. */
            Optional<String> policies();

            /** A file holding the policies JSON (instead of {@link #policies()}). */
            Optional<String> policiesFile();

            /** Decisions remembered so late spans of a decided trace follow its decision. */
            @WithDefault("100000")
            int decisionCacheSize();
        }
    }

    /** PII scrubbing, applied to every span before anything is stored. */
    interface Pii {
        /** Off only for data known to be free of personal data. */
        @WithDefault("true")
        boolean enabled();

        /** Action for attributes no rule names: redact detected values with a typed placeholder. */
        @WithDefault("redact")
        io.llmobservatory.enrich.pii.PiiAction defaultAction();

        /**
         * Key of the keyed hash (HMAC-SHA-256) used by {@code hash} and {@code drop}: per installation (a Secret;
         * {@code ./observatory up} generates one). With the public built-in default (or a {@code change-me}
         * placeholder) anyone could find a hashed value by hashing guesses, so enrich refuses to start on it unless
         * {@link #allowBuiltInHashKey()} says so.
         */
        @WithDefault(BUILT_IN_HASH_KEY)
        String hashKey();

        /** Start even with the built-in hash key: for tests and benchmarks only (the test profile sets it). */
        @WithDefault("false")
        boolean allowBuiltInHashKey();

        String BUILT_IN_HASH_KEY = "llm-observatory-default-pii-key-change-me";

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

        /** How often the rollup queue is drained into the per-model rollups (plain PostgreSQL; RollupDrainer). */
        @WithDefault("1s")
        Duration rollupDrainInterval();

        /** Most queued calls one drain transaction adds to the rollups; a full drain is followed by another at once. */
        @WithDefault("20000")
        int rollupDrainBatch();

        /**
         * Longest a drain statement may run (PostgreSQL's statement_timeout for it): a drain stuck on a lock or a sick
         * server fails instead of holding the drainer, counts as a failure, and the calls stay queued.
         */
        @WithDefault("60s")
        Duration rollupDrainTimeout();

        /**
         * How often the per-user rollups' stage (V12 queue) is drained: long enough that a user's calls add up to one
         * row per rollup instead of one row per call.
         */
        @WithDefault("30s")
        Duration userRollupDrainInterval();

        /**
         * Most calls one drain of the per-user stage adds: at least the calls of one interval at full load, or the
         * turn splits them into batches that add up less.
         */
        @WithDefault("500000")
        int userRollupDrainBatch();
    }

    /**
     * Enrich's write-ahead log of trace batches: with a directory set, a batch is acknowledged once it is fsynced
     * there (concurrent batches share one fsync) and written to PostgreSQL after, and what was not yet written is
     * written again when enrich restarts. The directory must outlive the process: a persistent volume per replica.
     */
    interface WriteAheadLog {
        /** Where the log lives; unset (the default), a batch is acknowledged once PostgreSQL commits it. */
        Optional<String> dir();

        /** Bytes the log may hold not yet written to PostgreSQL; past it, exports are told to retry. */
        @WithDefault("268435456")
        long maxBacklogBytes();

        /** Size at which a segment file is closed and a new one started (applied segments are deleted whole). */
        @WithDefault("67108864")
        long segmentBytes();

        /** Statements writing logged batches to PostgreSQL at once. */
        @WithDefault("2")
        int writers();

        /** Most consecutive logged batches of one tenant merged into one statement when the log holds a backlog. */
        @WithDefault("8")
        int batchesPerWrite();

    }
}
