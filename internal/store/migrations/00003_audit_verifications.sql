-- +goose Up
-- The latest full verification of each organisation's audit chain. Page views then check only
-- the entries added since, starting from the hash verified here; a full verification (from the
-- audit page or `mamori verify`) ignores this row and walks the whole chain again.
CREATE TABLE audit_verifications (
    org_id      BIGINT PRIMARY KEY REFERENCES organizations(id),
    verified_at {{ts}} NOT NULL,
    verified_by TEXT NOT NULL,
    entries     BIGINT NOT NULL,
    head_seq    BIGINT NOT NULL,
    head_hash   TEXT NOT NULL,
    ok          BOOLEAN NOT NULL,
    problem_seq BIGINT NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit_verifications;
