-- +goose Up
-- 人事異動: every change of a member of staff's place — hired (採用), transferred (異動),
-- seconded (出向), returned (復帰), left (退職) — with the day it takes effect and what brought it
-- (the 人事異動 list imported, a directory sync, a hand edit). Mamori's staff records are the HR
-- truth inside Mamori: the training assigned to new hires and to those transferred in April, and
-- the accounts of people who moved or left, are read from these rows. The row keeps the
-- department and title on both sides, so that a later rename of a department does not change
-- what the move was.
ALTER TABLE staff ADD COLUMN hired_on TEXT NOT NULL DEFAULT '';
ALTER TABLE staff ADD COLUMN left_on TEXT NOT NULL DEFAULT '';

CREATE TABLE staff_moves (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    staff_id            BIGINT NOT NULL REFERENCES staff(id),
    kind                TEXT NOT NULL,
    from_department_id  BIGINT REFERENCES departments(id),
    to_department_id    BIGINT REFERENCES departments(id),
    from_title          TEXT NOT NULL DEFAULT '',
    to_title            TEXT NOT NULL DEFAULT '',
    effective_on        TEXT NOT NULL,
    source              TEXT NOT NULL DEFAULT 'manual',
    batch               TEXT NOT NULL DEFAULT '',
    recorded_by_user_id BIGINT,
    created_at          {{ts}} NOT NULL
);
CREATE INDEX staff_moves_staff ON staff_moves (org_id, staff_id, effective_on);
CREATE INDEX staff_moves_date ON staff_moves (org_id, effective_on);

-- +goose Down
DROP TABLE staff_moves;
ALTER TABLE staff DROP COLUMN left_on;
ALTER TABLE staff DROP COLUMN hired_on;
