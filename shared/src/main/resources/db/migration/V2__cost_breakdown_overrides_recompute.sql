-- Cost you can bill by: a full breakdown, where every number came from, the instrumentation's own figure beside
-- ours, derived latency facts; operator price overrides; an audit trail of recomputations.

ALTER TABLE llm_calls
    ADD COLUMN total_tokens          bigint,
    ADD COLUMN cache_read_cost_usd   numeric(24, 12),
    ADD COLUMN cache_write_cost_usd  numeric(24, 12),
    ADD COLUMN reasoning_cost_usd    numeric(24, 12),
    -- computed (from a catalog), override (an operator price applied), provided (the instrumentation's own cost,
    -- used because we had no price), unpriced.
    ADD COLUMN cost_source           text NOT NULL DEFAULT 'unpriced',
    -- The catalog version used, e.g. genai-prices@47df840a or override:<id>@<updated>.
    ADD COLUMN price_version         text,
    ADD COLUMN provided_cost_usd     numeric(24, 12),
    -- True when the instrumentation's cost and ours differ by more than 1 % (and a micro-dollar).
    ADD COLUMN cost_disagrees        boolean NOT NULL DEFAULT false,
    ADD COLUMN ttft_ms               double precision,
    ADD COLUMN tokens_per_second     double precision,
    ADD COLUMN source_keys           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN priced_at             timestamptz NOT NULL DEFAULT now();

-- Until V2, input_cost_usd held uncached and cached input together; cache costs were not split out.
COMMENT ON COLUMN llm_calls.input_cost_usd IS 'uncached input tokens only (since V2)';
COMMENT ON COLUMN llm_calls.output_cost_usd IS 'output tokens other than reasoning (since V2)';

-- Operator prices. Each overrides only the fields it sets (USD per million tokens); the rest is inherited from the
-- catalog. A tenant-specific override wins over a global one (tenant NULL).
CREATE TABLE price_overrides (
    id               text PRIMARY KEY,
    tenant           text,
    provider         text,
    model            text,
    model_regex      text,
    valid_from       timestamptz,
    valid_to         timestamptz,
    input_mtok       numeric,
    output_mtok      numeric,
    cache_read_mtok  numeric,
    cache_write_mtok numeric,
    reasoning_mtok   numeric,
    note             text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (model IS NOT NULL OR model_regex IS NOT NULL)
);

-- Re-pricing jobs: the request, progress, and outcome; kept as the audit record.
CREATE TABLE recompute_jobs (
    id             uuid PRIMARY KEY,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    requested_by   text,
    range_from     timestamptz NOT NULL,
    range_to       timestamptz NOT NULL,
    tenant         text,
    model          text,
    status         text NOT NULL,
    calls_seen     bigint NOT NULL DEFAULT 0,
    calls_changed  bigint NOT NULL DEFAULT 0,
    cost_before    numeric(24, 12),
    cost_after     numeric(24, 12),
    price_versions text,
    finished_at    timestamptz,
    error          text
);
