-- +goose Up
-- 情報資産管理台帳: the asset register. Classification is kept per axis in asset_levels, so
-- that lists filter by a level of any axis the pack defines; top_rank is the highest rank over
-- the axes, which decides who may see an asset's details.
CREATE TABLE assets (
    id               {{id}},
    org_id           BIGINT NOT NULL REFERENCES organizations(id),
    number           TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    department_id    BIGINT REFERENCES departments(id),
    manager_staff_id BIGINT REFERENCES staff(id),
    segment          TEXT NOT NULL DEFAULT '',
    zone             TEXT NOT NULL DEFAULT '',
    top_rank         INTEGER NOT NULL DEFAULT 0,
    attrs_json       TEXT NOT NULL DEFAULT '{}',
    location         TEXT NOT NULL DEFAULT '',
    system_ref       TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL DEFAULT 1,
    copies           TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'in_use',
    acquired_on      TEXT NOT NULL DEFAULT '',
    disposed_on      TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    created_at       {{ts}} NOT NULL,
    updated_at       {{ts}} NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX assets_department ON assets (org_id, department_id);
CREATE INDEX assets_kind ON assets (org_id, kind);
CREATE INDEX assets_state ON assets (org_id, state);

CREATE TABLE asset_levels (
    asset_id BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    org_id   BIGINT NOT NULL REFERENCES organizations(id),
    axis     TEXT NOT NULL,
    level    TEXT NOT NULL,
    rank     INTEGER NOT NULL,
    PRIMARY KEY (asset_id, axis)
);
CREATE INDEX asset_levels_filter ON asset_levels (org_id, axis, level);

-- +goose Down
DROP TABLE asset_levels;
DROP TABLE assets;
