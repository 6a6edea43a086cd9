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

    Limits limits();

    /** Bounds on what ingest holds and accepts: memory, per-tenant rates, span sizes. */
    interface Limits {
        /**
         * Bytes of requests being decoded, validated or stored at once (their encoded size); above it new requests
         * are answered UNAVAILABLE + RetryInfo (gRPC) or 503 + Retry-After (HTTP) instead of growing the heap.
         */
        @WithDefault("67108864")
        long maxInflightBytes();

        /**
         * Items (spans, metric points, log records) per second per tenant, with bursts up to one second's worth;
         * 0 = unlimited. Over it: RESOURCE_EXHAUSTED + RetryInfo (gRPC), 429 + Retry-After (HTTP).
         */
        @WithDefault("0")
        long tenantItemsPerSecond();

        /** Per-tenant overrides of {@code tenant-items-per-second} ({@code tenant-rates."acme"=5000}). */
        java.util.Map<String, Long> tenantRates();

        /** Attributes per span, event and link (the OpenTelemetry SDK's default is 128). */
        @WithDefault("128")
        int maxAttributes();

        /** Characters of a string attribute value (bytes of a bytes value); longer values are cut. */
        @WithDefault("65536")
        int maxAttributeValueLength();

        @WithDefault("128")
        int maxEvents();

        @WithDefault("128")
        int maxLinks();
    }

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

        /**
         * How long a replica that answered UNAVAILABLE (killed, unreachable) is left out of the routing: its traces
         * go to the next replica in rendezvous order meanwhile, then it is tried again.
         */
        @WithDefault("10s")
        Duration replicasDownFor();
    }
}
