-- OTLP metrics (every type, faithfully) and logs, in PostgreSQL: the embedded default store for both signals.

CREATE TABLE metric_points (
    tenant               text             NOT NULL,
    name                 text             NOT NULL,
    -- Hash of metric name, type, unit, resource, scope and point attributes: one series.
    series_id            bytea            NOT NULL,
    time_unix_nano       bigint           NOT NULL,
    time                 timestamptz      NOT NULL,
    start_time_unix_nano bigint           NOT NULL,
    description          text             NOT NULL DEFAULT '',
    unit                 text             NOT NULL DEFAULT '',
    -- gauge, sum, histogram, exponential_histogram, summary
    type                 text             NOT NULL,
    -- 0 unspecified, 1 delta, 2 cumulative
    temporality          smallint         NOT NULL DEFAULT 0,
    monotonic            boolean,
    service_name         text             NOT NULL,
    attributes           jsonb            NOT NULL,
    resource_attributes  jsonb            NOT NULL,
    scope_name           text             NOT NULL DEFAULT '',
    scope_version        text             NOT NULL DEFAULT '',
    value_double         double precision,
    value_int            bigint,
    count                bigint,
    sum                  double precision,
    min                  double precision,
    max                  double precision,
    bucket_counts        bigint[],
    explicit_bounds      double precision[],
    exponential          jsonb,
    quantiles            jsonb,
    exemplars            jsonb            NOT NULL DEFAULT '[]',
    -- Trace ids of the exemplars, for jumping from a metric to a trace.
    exemplar_trace_ids   text[]           NOT NULL DEFAULT '{}',
    flags                integer          NOT NULL DEFAULT 0,
    -- GenAI dimensions of gen_ai.* metrics (canonical provider name; response model when known).
    gen_ai_provider      text,
    gen_ai_model         text,
    gen_ai_operation     text,
    gen_ai_token_type    text,
    ingested_at          timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name, series_id, time_unix_nano)
);

CREATE INDEX metric_points_tenant_name_time ON metric_points (tenant, name, time);
CREATE INDEX metric_points_tenant_genai ON metric_points (tenant, gen_ai_model, time) WHERE gen_ai_model IS NOT NULL;

CREATE TABLE logs (
    tenant                   text        NOT NULL,
    -- Hash of the record's content (times, ids, severity, body, attributes, resource, scope): the idempotency key.
    log_id                   bytea       NOT NULL,
    time                     timestamptz NOT NULL,
    time_unix_nano           bigint      NOT NULL,
    observed_time_unix_nano  bigint      NOT NULL,
    severity_number          smallint    NOT NULL,
    severity_text            text        NOT NULL DEFAULT '',
    body                     jsonb,
    attributes               jsonb       NOT NULL,
    dropped_attributes_count integer     NOT NULL DEFAULT 0,
    flags                    integer     NOT NULL DEFAULT 0,
    trace_id                 bytea,
    span_id                  bytea,
    event_name               text        NOT NULL DEFAULT '',
    service_name             text        NOT NULL,
    resource_attributes      jsonb       NOT NULL,
    scope_name               text        NOT NULL DEFAULT '',
    scope_version            text        NOT NULL DEFAULT '',
    ingested_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, log_id)
);

CREATE INDEX logs_tenant_time ON logs (tenant, time);
CREATE INDEX logs_tenant_trace ON logs (tenant, trace_id) WHERE trace_id IS NOT NULL;
