-- +goose Up
-- The values an organisation mapped when it last imported a register, by column field and cell
-- (folded to NFKC, lower case, without spaces): 機密性 "3" → level IV, "総務係" → department
-- code 100, "PC" → kind terminal. Its next import reads the same ledger without asking again.
CREATE TABLE import_value_mappings (
    id         {{id}},
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    kind       TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    target     TEXT NOT NULL,
    updated_at {{ts}} NOT NULL,
    UNIQUE (org_id, kind, field, value)
);

-- What an import job does beyond reading rows: update existing assets, mark missing ones as
-- disposed of, and the value mapping the user chose (JSON).
ALTER TABLE import_jobs ADD COLUMN options_json TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE import_jobs DROP COLUMN options_json;
DROP TABLE import_value_mappings;
