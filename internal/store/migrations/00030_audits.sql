-- +goose Up
-- 情報セキュリティ監査 (not the audit log): plans at three levels, engagements with their team,
-- scope and criteria, audit items with their results, findings (不適合・観察事項), corrective
-- actions (是正措置) with their effectiveness check, evidence files, and the report whose hash
-- is recorded in the audit chain when it is issued.

-- A plan: the multi-year plan (kind multi_year, from_year..to_year) or a year's plan (kind
-- annual, from_year = to_year = the fiscal year): aims, what is audited, timing.
CREATE TABLE audit_plans (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id),
    kind            TEXT NOT NULL,
    from_year       INTEGER NOT NULL,
    to_year         INTEGER NOT NULL,
    title           TEXT NOT NULL,
    aims            TEXT NOT NULL DEFAULT '',
    timing          TEXT NOT NULL DEFAULT '',
    departments_json TEXT NOT NULL DEFAULT '[]',
    systems_json    TEXT NOT NULL DEFAULT '[]',
    created_by_user_id BIGINT,
    created_at      {{ts}} NOT NULL
);
CREATE INDEX audit_plans_year ON audit_plans (org_id, from_year, id);

-- An audit (監査実施計画 and its engagement). kind: regular, special (ordered by the CISO).
-- state: planned, in_progress, reported (report issued), closed.
CREATE TABLE audits (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id),
    plan_id         BIGINT REFERENCES audit_plans(id),
    fiscal_year     INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    objective       TEXT NOT NULL DEFAULT '',
    criteria_json   TEXT NOT NULL DEFAULT '[]',
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    state           TEXT NOT NULL,
    ordered_by_user_id BIGINT,
    created_by_user_id BIGINT,
    created_at      {{ts}} NOT NULL,
    report_intro    TEXT NOT NULL DEFAULT '',
    report_summary  TEXT NOT NULL DEFAULT '',
    report_opinion  TEXT NOT NULL DEFAULT '',
    report_remarks  TEXT NOT NULL DEFAULT '',
    report_sha256   TEXT NOT NULL DEFAULT '',
    issued_at       {{ts}},
    issued_by_user_id BIGINT
);
CREATE INDEX audits_year ON audits (org_id, fiscal_year, id);

-- What an audit covers: departments and information systems (the system reference that
-- system-scoped roles name).
CREATE TABLE audit_departments (
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    audit_id      BIGINT NOT NULL REFERENCES audits(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    PRIMARY KEY (audit_id, department_id)
);
CREATE INDEX audit_departments_dept ON audit_departments (org_id, department_id);

CREATE TABLE audit_systems (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    audit_id    BIGINT NOT NULL REFERENCES audits(id),
    system_ref  TEXT NOT NULL,
    PRIMARY KEY (audit_id, system_ref)
);

-- The audit team. external: a member who is not the organisation's staff (employment
-- contractor), whose reach is the audit's scope during its period.
CREATE TABLE audit_auditors (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    audit_id    BIGINT NOT NULL REFERENCES audits(id),
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    lead        BOOLEAN NOT NULL DEFAULT FALSE,
    external    BOOLEAN NOT NULL DEFAULT FALSE,
    added_at    {{ts}} NOT NULL,
    PRIMARY KEY (audit_id, staff_id)
);
CREATE INDEX audit_auditors_staff ON audit_auditors (org_id, staff_id);

-- An audit item: what is checked, against which article, how (document, interview, onsite),
-- and its result (conforming, minor, major, observation; '' until recorded).
CREATE TABLE audit_items (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    audit_id      BIGINT NOT NULL REFERENCES audits(id),
    department_id BIGINT REFERENCES departments(id),
    title         TEXT NOT NULL,
    article       TEXT NOT NULL,
    method        TEXT NOT NULL,
    result        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    recorded_by_user_id BIGINT,
    recorded_at   {{ts}},
    created_at    {{ts}} NOT NULL
);
CREATE INDEX audit_items_audit ON audit_items (audit_id, id);

-- A finding (不適合・観察事項) of an item. state: open, closed.
CREATE TABLE audit_findings (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    audit_id      BIGINT NOT NULL REFERENCES audits(id),
    item_id       BIGINT NOT NULL REFERENCES audit_items(id),
    department_id BIGINT REFERENCES departments(id),
    grade         TEXT NOT NULL,
    article       TEXT NOT NULL,
    title         TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '',
    root_cause    TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    created_at    {{ts}} NOT NULL,
    closed_at     {{ts}},
    closed_by_user_id BIGINT
);
CREATE INDEX audit_findings_audit ON audit_findings (audit_id, id);
CREATE INDEX audit_findings_dept ON audit_findings (org_id, department_id, state);

-- A corrective action (是正措置): the plan, its owner and due day (a JST day), its completion
-- and the auditors' effectiveness check. state: planned, done, effective, ineffective.
CREATE TABLE audit_actions (
    id             {{id}},
    org_id         BIGINT NOT NULL REFERENCES organizations(id),
    audit_id       BIGINT NOT NULL REFERENCES audits(id),
    finding_id     BIGINT NOT NULL REFERENCES audit_findings(id),
    department_id  BIGINT REFERENCES departments(id),
    plan           TEXT NOT NULL,
    owner_staff_id BIGINT NOT NULL REFERENCES staff(id),
    due_on         TEXT NOT NULL,
    state          TEXT NOT NULL,
    done_note      TEXT NOT NULL DEFAULT '',
    done_at        {{ts}},
    check_note     TEXT NOT NULL DEFAULT '',
    follow_up      TEXT NOT NULL DEFAULT '',
    checked_at     {{ts}},
    checked_by_user_id BIGINT,
    created_by_user_id BIGINT,
    created_at     {{ts}} NOT NULL
);
CREATE INDEX audit_actions_finding ON audit_actions (finding_id, id);
CREATE INDEX audit_actions_owner ON audit_actions (org_id, owner_staff_id, state, due_on);

-- Evidence (監査証拠) of an item or of a corrective action, kept in the database.
CREATE TABLE audit_evidence (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    audit_id      BIGINT NOT NULL REFERENCES audits(id),
    item_id       BIGINT REFERENCES audit_items(id),
    action_id     BIGINT REFERENCES audit_actions(id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    body          {{blob}} NOT NULL,
    added_by_user_id BIGINT,
    added_at      {{ts}} NOT NULL
);
CREATE INDEX audit_evidence_audit ON audit_evidence (audit_id, id);

-- +goose Down
DROP TABLE audit_evidence;
DROP TABLE audit_actions;
DROP TABLE audit_findings;
DROP TABLE audit_items;
DROP TABLE audit_auditors;
DROP TABLE audit_systems;
DROP TABLE audit_departments;
DROP TABLE audits;
DROP TABLE audit_plans;
