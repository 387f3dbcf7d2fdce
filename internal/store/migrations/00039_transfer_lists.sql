-- +goose Up
-- 人事異動の一覧: each 人事異動 list uploaded (a sheet of staff number, name, kind, from, to, new
-- title and date), kept as it was read — its headings, its rows' cells and the column mapping —
-- so that its dry run can be shown again until it is applied. state: draft (read, not applied),
-- pending (applied; some of its moves take effect on a later day), applied (every move in
-- effect), withdrawn (a pending list taken back before its day), failed (a pending move could
-- not be applied on its day; problem says why).
CREATE TABLE transfer_lists (
    id                 {{id}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id),
    filename           TEXT NOT NULL DEFAULT '',
    encoding           TEXT NOT NULL DEFAULT '',
    header_row         INTEGER NOT NULL DEFAULT 1,
    headers            TEXT NOT NULL DEFAULT '[]',
    cells              TEXT NOT NULL DEFAULT '[]',
    mapping            TEXT NOT NULL DEFAULT '[]',
    state              TEXT NOT NULL DEFAULT 'draft',
    row_count          INTEGER NOT NULL DEFAULT 0,
    first_on           TEXT NOT NULL DEFAULT '',
    last_on            TEXT NOT NULL DEFAULT '',
    problem            TEXT NOT NULL DEFAULT '',
    created_by_user_id BIGINT,
    created_by         TEXT NOT NULL DEFAULT '',
    created_at         {{ts}} NOT NULL,
    applied_by         TEXT NOT NULL DEFAULT '',
    applied_at         {{ts}},
    withdrawn_by       TEXT NOT NULL DEFAULT '',
    withdrawn_at       {{ts}},
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX transfer_lists_org ON transfer_lists (org_id, state, created_at);

-- One move of an applied list, as it was resolved when the list was applied: the staff member
-- (none yet for a hire until its day), the departments, the new title, and what the dry run
-- said applying it does (effect, as JSON: the roles it ends, the accounts held). state: pending until
-- its day, applied (move_id the staff_moves row), withdrawn.
CREATE TABLE transfer_rows (
    id                 {{id}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id),
    list_id            BIGINT NOT NULL REFERENCES transfer_lists(id),
    row_no             INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    employee_no        TEXT NOT NULL,
    name               TEXT NOT NULL DEFAULT '',
    staff_id           BIGINT REFERENCES staff(id),
    from_department_id BIGINT REFERENCES departments(id),
    to_department_id   BIGINT REFERENCES departments(id),
    to_title           TEXT NOT NULL DEFAULT '',
    employment         TEXT NOT NULL DEFAULT '',
    destination        TEXT NOT NULL DEFAULT '',
    effective_on       TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'pending',
    effect             TEXT NOT NULL DEFAULT '{}',
    move_id            BIGINT REFERENCES staff_moves(id),
    applied_at         {{ts}}
);
CREATE INDEX transfer_rows_list ON transfer_rows (list_id, row_no);
CREATE INDEX transfer_rows_due ON transfer_rows (state, effective_on);

-- +goose Down
DROP TABLE transfer_rows;
DROP TABLE transfer_lists;
