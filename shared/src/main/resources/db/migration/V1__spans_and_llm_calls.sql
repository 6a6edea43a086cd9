-- Spans and LLM-call facts. Written by enrich, read by query.
-- Idempotency: both tables are keyed by (tenant, trace_id, span_id); writers insert with ON CONFLICT DO NOTHING,
-- so a retried batch never stores a span or a cost twice.

CREATE TABLE spans (
    tenant                   text        NOT NULL,
    trace_id                 bytea       NOT NULL,
    span_id                  bytea       NOT NULL,
    parent_span_id           bytea,
    trace_state              text        NOT NULL DEFAULT '',
    flags                    integer     NOT NULL DEFAULT 0,
    name                     text        NOT NULL,
    kind                     smallint    NOT NULL,
    start_time               timestamptz NOT NULL,
    start_time_unix_nano     bigint      NOT NULL,
    end_time_unix_nano       bigint      NOT NULL,
    duration_ns              bigint      NOT NULL,
    status_code              smallint    NOT NULL,
    status_message           text        NOT NULL DEFAULT '',
    service_name             text        NOT NULL,
    attributes               jsonb       NOT NULL,
    dropped_attributes_count integer     NOT NULL DEFAULT 0,
    events                   jsonb       NOT NULL,
    dropped_events_count     integer     NOT NULL DEFAULT 0,
    links                    jsonb       NOT NULL,
    dropped_links_count      integer     NOT NULL DEFAULT 0,
    resource_attributes      jsonb       NOT NULL,
    scope_name               text        NOT NULL DEFAULT '',
    scope_version            text        NOT NULL DEFAULT '',
    scope_attributes         jsonb       NOT NULL,
    ingested_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, trace_id, span_id)
);

CREATE INDEX spans_tenant_start_time ON spans (tenant, start_time);
CREATE INDEX spans_tenant_service_start_time ON spans (tenant, service_name, start_time);

-- One row per LLM call (a span the pipeline recognised as a GenAI operation). Kept for every call,
-- whatever happens to the span itself later (sampling), so totals stay exact.
CREATE TABLE llm_calls (
    tenant               text           NOT NULL,
    trace_id             bytea          NOT NULL,
    span_id              bytea          NOT NULL,
    time                 timestamptz    NOT NULL,
    service_name         text           NOT NULL,
    provider             text,
    operation            text,
    request_model        text,
    response_model       text,
    -- The model the call is reported and priced under: the response model when known, else the request model.
    model                text,
    input_tokens         bigint,
    output_tokens        bigint,
    cache_read_tokens    bigint,
    cache_write_tokens   bigint,
    reasoning_tokens     bigint,
    -- USD; NULL when the model has no known price (never 0 for "unknown").
    input_cost_usd       numeric(24, 12),
    output_cost_usd      numeric(24, 12),
    cost_usd             numeric(24, 12),
    priced               boolean        NOT NULL,
    -- Where the price came from, e.g. "genai-prices@47df840a:openai/gpt-4o", or why there is none.
    price_source         text           NOT NULL,
    finish_reasons       text[]         NOT NULL DEFAULT '{}',
    status_code          smallint       NOT NULL,
    error_type           text,
    duration_ns          bigint         NOT NULL,
    user_id              text,
    session_id           text,
    dialect              text           NOT NULL,
    ingested_at          timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, trace_id, span_id)
);

CREATE INDEX llm_calls_tenant_time ON llm_calls (tenant, time);
CREATE INDEX llm_calls_tenant_model_time ON llm_calls (tenant, model, time);
CREATE INDEX llm_calls_tenant_user_time ON llm_calls (tenant, user_id, time) WHERE user_id IS NOT NULL;
