-- +goose Up
-- 研修・訓練: one plan per organisation and fiscal year (年度, April to March), made from the
-- courses of the pack the organisation ran when the plan was made. The plan keeps its own copy
-- of each course (name, format, who runs it, the month it is due, the article), so that a later
-- pack does not change what a year's plan asked.
CREATE TABLE training_plans (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    fiscal_year   INTEGER NOT NULL,
    pack_id       TEXT NOT NULL,
    pack_version  TEXT NOT NULL,
    created_at    {{ts}} NOT NULL,
    created_by    TEXT NOT NULL,
    assigned_at   {{ts}},
    UNIQUE (org_id, fiscal_year)
);

CREATE TABLE training_courses (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    plan_id       BIGINT NOT NULL REFERENCES training_plans(id),
    course_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    format        TEXT NOT NULL,
    run_by        TEXT NOT NULL DEFAULT '',
    due_on        TEXT NOT NULL,
    incident_plan BOOLEAN NOT NULL DEFAULT FALSE,
    cite          TEXT NOT NULL DEFAULT '',
    quote         TEXT NOT NULL DEFAULT '',
    added         BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (plan_id, course_id)
);

-- A session of a course (開催): its day and hours, place and instructor. A make-up session
-- (補講) names the session it makes up for.
CREATE TABLE training_sessions (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    plan_id     BIGINT NOT NULL REFERENCES training_plans(id),
    course_id   TEXT NOT NULL,
    starts_at   {{ts}} NOT NULL,
    ends_at     {{ts}} NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    instructor  TEXT NOT NULL DEFAULT '',
    makeup_of   BIGINT REFERENCES training_sessions(id),
    note        TEXT NOT NULL DEFAULT '',
    created_at  {{ts}} NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX training_sessions_plan ON training_sessions (plan_id, course_id, starts_at);

-- Who must take which course of the plan, why (the audience, a new hire, a transfer, a person
-- recorded outside it), by when, and — once taken — on which day, at which session and how it
-- was recorded (roll call, import, the person's own confirmation of an e-learning module).
CREATE TABLE training_assignments (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    plan_id       BIGINT NOT NULL REFERENCES training_plans(id),
    course_id     TEXT NOT NULL,
    staff_id      BIGINT NOT NULL REFERENCES staff(id),
    reason        TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    assigned_at   {{ts}} NOT NULL,
    completed_on  TEXT NOT NULL DEFAULT '',
    session_id    BIGINT REFERENCES training_sessions(id),
    how           TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL DEFAULT '',
    recorded_at   {{ts}},
    UNIQUE (plan_id, course_id, staff_id)
);
CREATE INDEX training_assignments_staff ON training_assignments (org_id, staff_id);
CREATE INDEX training_assignments_due ON training_assignments (plan_id, completed_on, due_on);

-- An uploaded attendance sheet, kept until it is applied: its column mapping and the report of
-- its dry run. Applying writes every row or none.
CREATE TABLE training_imports (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    plan_id      BIGINT NOT NULL REFERENCES training_plans(id),
    user_id      BIGINT NOT NULL,
    filename     TEXT NOT NULL,
    body         {{blob}} NOT NULL,
    mapping_json TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'uploaded',
    report_json  TEXT NOT NULL DEFAULT '',
    created_at   {{ts}} NOT NULL
);

-- +goose Down
DROP TABLE training_imports;
DROP TABLE training_assignments;
DROP TABLE training_sessions;
DROP TABLE training_courses;
DROP TABLE training_plans;
