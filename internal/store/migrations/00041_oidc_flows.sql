-- +goose Up
-- Sign-ins with the organisation's OpenID Connect provider (庁内認証基盤) under way: one row from
-- the moment a person leaves for the provider until they come back, at most ten minutes. The
-- browser holds only a random key in a cookie; the row, found by that key's SHA-256, keeps the
-- state, the nonce and the PKCE verifier, so that any process of a cluster can finish the
-- sign-in, and is deleted when it is used, so that a callback cannot be replayed.
CREATE TABLE oidc_flows (
    id         {{id}},
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    key_hash   TEXT NOT NULL UNIQUE,
    state      TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next_path  TEXT NOT NULL DEFAULT '/',
    created_at {{ts}} NOT NULL
);
CREATE INDEX oidc_flows_created ON oidc_flows (created_at);

-- +goose Down
DROP TABLE oidc_flows;
