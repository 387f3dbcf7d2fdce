-- +goose Up
-- Which checkpoints of the audit chain have been claimed for writing. The checkpoints
-- themselves — signed, outside the database — are the anchor; this row only keeps several
-- server processes from writing the same one. The hash is part of the key, so that rows
-- written ahead by someone with access to the database cannot hold back a later checkpoint.
CREATE TABLE audit_checkpoints (
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL,
    written_at {{ts}} NOT NULL,
    PRIMARY KEY (org_id, seq, hash)
);

-- +goose Down
DROP TABLE audit_checkpoints;
