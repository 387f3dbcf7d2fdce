-- +goose Up
-- Organisations are bound to one version of a policy pack: a shipped pack or one the
-- organisation loaded itself, kept here verbatim so that every version it ever ran stays known.
ALTER TABLE organizations ADD COLUMN pack_version TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN pack_digest TEXT NOT NULL DEFAULT '';

CREATE TABLE org_packs (
    id         {{id}},
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    pack_id    TEXT NOT NULL,
    version    TEXT NOT NULL,
    digest     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at {{ts}} NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (org_id, digest)
);

-- +goose Down
DROP TABLE org_packs;
ALTER TABLE organizations DROP COLUMN pack_digest;
ALTER TABLE organizations DROP COLUMN pack_version;
