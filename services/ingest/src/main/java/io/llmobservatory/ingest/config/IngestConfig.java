package io.llmobservatory.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Configuration of the ingest service ({@code observatory.ingest.*}; env {@code OBSERVATORY_INGEST_*}). */
@ConfigMapping(prefix = "observatory.ingest")
public interface IngestConfig {

    Tenant tenant();

    Http http();

    Enrich enrich();

    interface Tenant {
        /** Request header (HTTP) or metadata key (gRPC) naming the tenant, as in Tempo and Loki. */
        @WithDefault("X-Scope-OrgID")
        String header();

        /** Tenant of requests that name none. */
        @WithDefault("default")
        String defaultTenant();
    }

    interface Http {
        /** Largest OTLP/HTTP body accepted after gzip decompression, in bytes (20 MiB). */
        @WithDefault("20971520")
        int maxDecompressedBytes();
    }

    interface Enrich {
        /** Host of the enrich service's gRPC endpoint. */
        @WithDefault("localhost")
        String host();

        /** Port of the enrich service's gRPC endpoint. */
        @WithDefault("8081")
        int port();

        /** How long a batch may take to be stored before the client is told to retry. */
        @WithDefault("15s")
        Duration timeout();

        /** Delay suggested to clients (RetryInfo, Retry-After) when enrich or the database is unavailable. */
        @WithDefault("2s")
        Duration retryAfter();

        /**
         * Trace-id-aware routing of spans to several enrich replicas, for tail sampling across replicas: every span
         * of a trace goes to the same replica (rendezvous hashing of the trace id). Replicas come from
         * {@code replicas} (host:port list) or from resolving {@code replicas-host} (a headless Service) every
         * {@code replicas-refresh}, each address at {@code port}. Off when neither is set: one enrich endpoint.
         */
        java.util.Optional<java.util.List<String>> replicas();

        java.util.Optional<String> replicasHost();

        @WithDefault("30s")
        Duration replicasRefresh();
    }
}
