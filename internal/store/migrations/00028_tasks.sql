-- +goose Up
-- 定期業務: each occurrence of a recurring duty of the pack is a task for the role that holds the
-- duty, in its scope (the organisation, one department or one system). The holders are not
-- stored: whoever holds the role in that scope when the task is read is its assignee, so that a
-- task follows a change of holder. What closes it (evidence, logbook, checklist) is copied from
-- the pack when the task is made, so that a later pack cannot change what an open task asks.
-- A task is made once per organisation, duty, scope and period (scope_key: '' for the
-- organisation, 'd:<id>' for a department, 's:<ref>' for a system).
CREATE TABLE tasks (
    id               {{id}},
    org_id           BIGINT NOT NULL REFERENCES organizations(id),
    duty_id          TEXT NOT NULL,
    role_id          TEXT NOT NULL,
    scope            TEXT NOT NULL,
    scope_key        TEXT NOT NULL,
    department_id    BIGINT REFERENCES departments(id),
    system_ref       TEXT NOT NULL DEFAULT '',
    every            TEXT NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    period_start     TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    text             TEXT NOT NULL,
    cite             TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL,
    logbook          TEXT NOT NULL DEFAULT '',
    checklist_json   TEXT NOT NULL DEFAULT '[]',
    state            TEXT NOT NULL DEFAULT 'open',
    note             TEXT NOT NULL DEFAULT '',
    ticked_json      TEXT NOT NULL DEFAULT '[]',
    logbook_entry_id BIGINT,
    done_at          {{ts}},
    done_by_user_id  BIGINT,
    done_by_staff_id BIGINT REFERENCES staff(id),
    done_by_name     TEXT NOT NULL DEFAULT '',
    created_at       {{ts}} NOT NULL,
    UNIQUE (org_id, duty_id, scope_key, period_start)
);
CREATE INDEX tasks_due ON tasks (org_id, state, due_on);
CREATE INDEX tasks_role ON tasks (org_id, role_id, scope_key, fiscal_year);
CREATE INDEX tasks_year ON tasks (org_id, fiscal_year, period_start);

-- The file that closes a task whose duty asks for one; kept with its SHA-256, never changed.
CREATE TABLE task_files (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    task_id      BIGINT NOT NULL REFERENCES tasks(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    body         {{blob}} NOT NULL,
    created_at   {{ts}} NOT NULL
);
CREATE INDEX task_files_task ON task_files (task_id);

-- +goose Down
DROP TABLE task_files;
DROP TABLE tasks;
