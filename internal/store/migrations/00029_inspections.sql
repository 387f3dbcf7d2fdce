-- +goose Up
-- 自己点検 (self-inspection): a campaign of the pack's checklist, frozen when it starts (each
-- item with its article, its chapter and the pack version), the sheets it sends — one per
-- department for the items its 情報セキュリティ管理者 answers, one per organisation- or
-- system-scoped role for the items of that role — the answers with their evidence, and the
-- findings that 未実施 and 一部 answers become when a sheet is submitted.
CREATE TABLE inspection_campaigns (
    id                 {{id}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id),
    fiscal_year        INTEGER NOT NULL,
    title              TEXT NOT NULL,
    pack_id            TEXT NOT NULL,
    pack_version       TEXT NOT NULL,
    opens_on           TEXT NOT NULL,
    deadline           TEXT NOT NULL,
    state              TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    created_at         {{ts}} NOT NULL,
    closed_at          {{ts}}
);
CREATE INDEX inspection_campaigns_org ON inspection_campaigns (org_id, fiscal_year, id);

CREATE TABLE inspection_items (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    campaign_id BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    seq         INTEGER NOT NULL,
    item_key    TEXT NOT NULL,
    question    TEXT NOT NULL,
    role_id     TEXT NOT NULL,
    role_name   TEXT NOT NULL,
    target      TEXT NOT NULL,
    article     TEXT NOT NULL,
    quote       TEXT NOT NULL DEFAULT '',
    chapter     TEXT NOT NULL,
    UNIQUE (campaign_id, seq)
);

CREATE TABLE inspection_sheets (
    id                    {{id}},
    org_id                BIGINT NOT NULL REFERENCES organizations(id),
    campaign_id           BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    department_id         BIGINT REFERENCES departments(id),
    role_id               TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL,
    deadline              TEXT NOT NULL,
    return_reason         TEXT NOT NULL DEFAULT '',
    returned_at           {{ts}},
    submitted_at          {{ts}},
    submitted_by_staff_id BIGINT REFERENCES staff(id),
    version               INTEGER NOT NULL DEFAULT 1,
    updated_at            {{ts}} NOT NULL
);
CREATE INDEX inspection_sheets_campaign ON inspection_sheets (campaign_id, department_id);

CREATE TABLE inspection_evidence (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    sheet_id     BIGINT NOT NULL REFERENCES inspection_sheets(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    body         {{blob}} NOT NULL,
    staff_id     BIGINT REFERENCES staff(id),
    created_at   {{ts}} NOT NULL
);
CREATE INDEX inspection_evidence_sheet ON inspection_evidence (sheet_id, id);

CREATE TABLE inspection_answers (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    sheet_id            BIGINT NOT NULL REFERENCES inspection_sheets(id),
    item_id             BIGINT NOT NULL REFERENCES inspection_items(id),
    answer              TEXT NOT NULL,
    comment             TEXT NOT NULL DEFAULT '',
    evidence_id         BIGINT REFERENCES inspection_evidence(id),
    answered_by_staff_id BIGINT REFERENCES staff(id),
    answered_at         {{ts}} NOT NULL,
    UNIQUE (sheet_id, item_id)
);
CREATE INDEX inspection_answers_org_at ON inspection_answers (org_id, answered_at);

CREATE TABLE inspection_findings (
    id                 {{id}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id),
    campaign_id        BIGINT NOT NULL REFERENCES inspection_campaigns(id),
    sheet_id           BIGINT NOT NULL REFERENCES inspection_sheets(id),
    item_id            BIGINT NOT NULL REFERENCES inspection_items(id),
    department_id      BIGINT REFERENCES departments(id),
    answer             TEXT NOT NULL,
    owner_staff_id     BIGINT REFERENCES staff(id),
    due_on             TEXT NOT NULL,
    state              TEXT NOT NULL,
    close_note         TEXT NOT NULL DEFAULT '',
    close_evidence_id  BIGINT REFERENCES inspection_evidence(id),
    closed_by_staff_id BIGINT REFERENCES staff(id),
    opened_at          {{ts}} NOT NULL,
    closed_at          {{ts}},
    UNIQUE (sheet_id, item_id)
);
CREATE INDEX inspection_findings_org ON inspection_findings (org_id, state, due_on);

-- +goose Down
DROP TABLE inspection_findings;
DROP TABLE inspection_answers;
DROP TABLE inspection_evidence;
DROP TABLE inspection_sheets;
DROP TABLE inspection_items;
DROP TABLE inspection_campaigns;
