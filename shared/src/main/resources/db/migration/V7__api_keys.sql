-- API keys (issue 9). The token obs_<id>_<secret> is shown once at creation; only the SHA-256 of its secret is
-- kept. A key belongs to one tenant and carries scopes (ingest, query, admin). Revocation keeps the row (audit).
CREATE TABLE api_keys (
    id            text        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    tenant        text        NOT NULL,
    name          text        NOT NULL DEFAULT '',
    scopes        text[]      NOT NULL CHECK (scopes <@ ARRAY['ingest', 'query', 'admin']::text[] AND cardinality(scopes) > 0),
    secret_sha256 bytea       NOT NULL CHECK (length(secret_sha256) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL DEFAULT '',
    revoked_at    timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at DESC);
