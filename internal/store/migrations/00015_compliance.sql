-- +goose Up
-- 遵守状況の確認: the pack's rules checked on the register. A finding (指摘事項) is one asset
-- failing one rule: opened when a write or a sweep finds it failing, closed when it passes again
-- (or the asset is disposed of or deleted, or the rule leaves the pack), never deleted, so that
-- the history stays. At most one finding of an asset and rule is open at a time.
-- values_json holds the values the rule read (kind, class.importance, attrs.mfa …) when it failed;
-- suppressed_by names the approved exception (例外措置) that covers it while one does.
CREATE TABLE compliance_findings (
    id             {{id}},
    org_id         BIGINT NOT NULL REFERENCES organizations(id),
    rule_id        TEXT NOT NULL,
    pack_digest    TEXT NOT NULL,
    asset_id       BIGINT NOT NULL,  -- no reference: the finding outlives a deleted asset
    asset_number   TEXT NOT NULL,
    department_id  BIGINT,
    severity       TEXT NOT NULL,
    severity_rank  INTEGER NOT NULL,  -- low 1, medium 2, high 3, critical 4
    values_json    TEXT NOT NULL DEFAULT '{}',
    first_seen     {{ts}} NOT NULL,
    last_seen      {{ts}} NOT NULL,
    closed_at      {{ts}},
    close_reason   TEXT NOT NULL DEFAULT '',  -- passed, disposed, deleted, rule_removed
    suppressed_by  BIGINT
);
CREATE UNIQUE INDEX compliance_findings_open ON compliance_findings (org_id, asset_id, rule_id) WHERE closed_at IS NULL;
CREATE INDEX compliance_findings_open_rule ON compliance_findings (org_id, rule_id, severity_rank) WHERE closed_at IS NULL;
CREATE INDEX compliance_findings_open_dept ON compliance_findings (org_id, department_id, severity_rank) WHERE closed_at IS NULL;
CREATE INDEX compliance_findings_asset ON compliance_findings (org_id, asset_id, id);

-- What happened to a finding, in order: opened, changed (other values), suppressed,
-- unsuppressed (the exception ended), closed.
CREATE TABLE compliance_finding_events (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    finding_id    BIGINT NOT NULL REFERENCES compliance_findings(id),
    action        TEXT NOT NULL,
    values_json   TEXT NOT NULL DEFAULT '',
    exception_id  BIGINT,
    at            {{ts}} NOT NULL
);
CREATE INDEX compliance_finding_events_finding ON compliance_finding_events (finding_id, id);

-- The exception register (例外措置の記録, 山形県 14.3): every approved request of the pack's
-- exception kind, with the rules and assets it covers (compliance_exception_items, one row per
-- rule and asset) until expires_on (a JST day, the last it holds). state: active, expired,
-- withdrawn (its request no longer approved). An exception that names no rule is recorded but
-- suppresses nothing.
CREATE TABLE compliance_exceptions (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    request_id          BIGINT NOT NULL REFERENCES requests(id),
    applicant_staff_id  BIGINT,
    department_id       BIGINT,
    provision           TEXT NOT NULL DEFAULT '',  -- the provision as the applicant wrote it
    reason              TEXT NOT NULL DEFAULT '',
    measures            TEXT NOT NULL DEFAULT '',
    rules_json          TEXT NOT NULL DEFAULT '[]',
    expires_on          TEXT NOT NULL DEFAULT '',
    post_hoc            BOOLEAN NOT NULL DEFAULT FALSE,
    cite                TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL DEFAULT 'active',
    approved_at         {{ts}} NOT NULL,
    ended_at            {{ts}},
    UNIQUE (request_id)
);
CREATE INDEX compliance_exceptions_org ON compliance_exceptions (org_id, state, expires_on);

CREATE TABLE compliance_exception_items (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    exception_id  BIGINT NOT NULL REFERENCES compliance_exceptions(id),
    rule_id       TEXT NOT NULL,
    asset_id      BIGINT NOT NULL,
    asset_number  TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX compliance_exception_items_exception ON compliance_exception_items (exception_id);
CREATE INDEX compliance_exception_items_active ON compliance_exception_items (org_id, asset_id, rule_id) WHERE active;

-- Rules whose evaluation failed at run time (a missing attribute, a wrong type …): broken until
-- a sweep of the same pack evaluates them on every asset without error. Administrators are told.
CREATE TABLE compliance_rule_status (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    rule_id      TEXT NOT NULL,
    pack_digest  TEXT NOT NULL,
    broken       BOOLEAN NOT NULL DEFAULT FALSE,
    error        TEXT NOT NULL DEFAULT '',
    asset_id     BIGINT,
    failures     BIGINT NOT NULL DEFAULT 0,
    since        {{ts}},
    checked_at   {{ts}} NOT NULL,
    UNIQUE (org_id, rule_id)
);

-- Full sweeps of an organisation's register: when, against which pack version, what they
-- found and where the time went (microseconds in CEL and in the database). run_key makes a
-- scheduled sweep run once per cluster: daily:<JST day> or pack:<digest>; NULL for one asked for.
-- The trend of compliance over time is the last finished sweep of each day.
CREATE TABLE compliance_sweeps (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    run_key       TEXT,
    pack_digest   TEXT NOT NULL,
    cause         TEXT NOT NULL,  -- daily, pack, manual
    day           TEXT NOT NULL,  -- JST date it started
    started_at    {{ts}} NOT NULL,
    finished_at   {{ts}},
    assets        BIGINT NOT NULL DEFAULT 0,
    evaluations   BIGINT NOT NULL DEFAULT 0,
    opened        BIGINT NOT NULL DEFAULT 0,
    closed        BIGINT NOT NULL DEFAULT 0,
    open_total    BIGINT NOT NULL DEFAULT 0,
    open_low      BIGINT NOT NULL DEFAULT 0,
    open_medium   BIGINT NOT NULL DEFAULT 0,
    open_high     BIGINT NOT NULL DEFAULT 0,
    open_critical BIGINT NOT NULL DEFAULT 0,
    suppressed    BIGINT NOT NULL DEFAULT 0,
    broken_rules  BIGINT NOT NULL DEFAULT 0,
    cel_us        BIGINT NOT NULL DEFAULT 0,
    storage_us    BIGINT NOT NULL DEFAULT 0,
    error         TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX compliance_sweeps_run ON compliance_sweeps (org_id, run_key) WHERE run_key IS NOT NULL;
CREATE INDEX compliance_sweeps_org ON compliance_sweeps (org_id, started_at);

-- +goose Down
DROP TABLE compliance_sweeps;
DROP TABLE compliance_rule_status;
DROP TABLE compliance_exception_items;
DROP TABLE compliance_exceptions;
DROP TABLE compliance_finding_events;
DROP TABLE compliance_findings;
