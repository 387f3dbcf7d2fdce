-- +goose Up
-- The column mapping an organisation chose when it last imported a register, by header (folded
-- to NFKC, lower case, without spaces), so that its next import of the same sheet needs no
-- mapping step. kind names the register: assets.
CREATE TABLE import_mappings (
    id         {{id}},
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    kind       TEXT NOT NULL,
    header     TEXT NOT NULL,
    field      TEXT NOT NULL,
    updated_at {{ts}} NOT NULL,
    UNIQUE (org_id, kind, header)
);

-- +goose Down
DROP TABLE import_mappings;
