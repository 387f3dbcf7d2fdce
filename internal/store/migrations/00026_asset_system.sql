-- +goose Up
-- A role held for an information system (情報システム管理者 of a system) reads the assets of that
-- system wherever they sit, so the register is listed by system reference beside department.
-- An information system that names no system is its own (asset.SystemOf): it is found by its
-- number, which the unique index of numbers serves.
CREATE INDEX assets_system ON assets (org_id, system_ref);

-- +goose Down
DROP INDEX assets_system;
