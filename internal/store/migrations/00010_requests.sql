-- +goose Up
-- 申請・承認: requests of the kinds the organisation's pack defines. A request row keeps what
-- lists need without reading its decisions: its state, the step it is at, its dates and the
-- department it belongs to. Who it waits for is kept in request_waits, one row per role and
-- scope that may decide now ("security_manager@d:12", "ciso@org", "system_admin@s:KIKAN"),
-- so an approver's inbox is an index lookup on the keys of the roles they hold, however many
-- requests the organisation has.
CREATE TABLE requests (
    id                    {{id}},
    org_id                BIGINT NOT NULL REFERENCES organizations(id),
    kind                  TEXT NOT NULL,  -- the pack approval id
    kind_name             TEXT NOT NULL,  -- its name when filed, for lists
    applicant_staff_id    BIGINT NOT NULL REFERENCES staff(id),
    applicant_user_id     BIGINT,
    department_id         BIGINT NOT NULL REFERENCES departments(id), -- the applicant's
    subject_department_id BIGINT REFERENCES departments(id),
    system_ref            TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL,  -- pending, sent_back, approved, rejected, cancelled, taken_out, returned, disposed
    step                  INTEGER NOT NULL DEFAULT 0,
    route_json            TEXT NOT NULL,  -- the steps as resolved when filed
    fields_json           TEXT NOT NULL DEFAULT '{}',
    post_hoc              BOOLEAN NOT NULL DEFAULT FALSE,
    acted_at              {{ts}},         -- a post-hoc request: when the measure was taken
    report_due_at         {{ts}},         -- … and when its report was due
    reported_late         BOOLEAN NOT NULL DEFAULT FALSE,
    due_on                TEXT NOT NULL DEFAULT '', -- return due date (YYYY-MM-DD) of a returnable kind
    taken_out_on          TEXT NOT NULL DEFAULT '',
    returned_on           TEXT NOT NULL DEFAULT '',
    disposal_json         TEXT NOT NULL DEFAULT '',
    cite                  TEXT NOT NULL DEFAULT '',
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            {{ts}} NOT NULL,
    updated_at            {{ts}} NOT NULL,
    decided_at            {{ts}}
);
CREATE INDEX requests_applicant ON requests (org_id, applicant_staff_id, id);
CREATE INDEX requests_department ON requests (org_id, department_id, id);
CREATE INDEX requests_subject_department ON requests (org_id, subject_department_id, id);
-- Overdue returns: state taken_out (or lent) with a due date before today.
CREATE INDEX requests_due ON requests (org_id, state, due_on);
CREATE INDEX requests_kind ON requests (org_id, kind, id);

-- Who may act on a request now: a decision of the current step, or (purpose notice) the
-- acknowledgement of a report made after approval.
CREATE TABLE request_waits (
    request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    wait_key   TEXT NOT NULL,
    role_id    TEXT NOT NULL,
    purpose    TEXT NOT NULL DEFAULT 'decide',
    PRIMARY KEY (request_id, wait_key)
);
CREATE INDEX request_waits_inbox ON request_waits (org_id, wait_key, request_id);

CREATE TABLE request_assets (
    request_id BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    asset_id   BIGINT NOT NULL REFERENCES assets(id),
    PRIMARY KEY (request_id, asset_id)
);
CREATE INDEX request_assets_asset ON request_assets (org_id, asset_id);

-- Every act on a request, in order: submission, each decision (with the capacity it was made
-- in and the subject assets frozen as they were), resubmission, cancellation, the life after
-- approval.
CREATE TABLE request_events (
    id            {{id}},
    request_id    BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    step          INTEGER NOT NULL DEFAULT 0,
    action        TEXT NOT NULL, -- submit, approve, reject, send_back, resubmit, cancel, acknowledge, take_out, return, dispose
    role_id       TEXT NOT NULL DEFAULT '',
    wait_key      TEXT NOT NULL DEFAULT '',
    capacity      TEXT NOT NULL DEFAULT '', -- holder, acting (代理), applicant
    staff_id      BIGINT,
    user_id       BIGINT,
    actor_name    TEXT NOT NULL DEFAULT '',
    comment       TEXT NOT NULL DEFAULT '',
    snapshot_json TEXT NOT NULL DEFAULT '',
    at            {{ts}} NOT NULL
);
CREATE INDEX request_events_request ON request_events (request_id, id);

-- Attachments are kept in the database with their SHA-256. They are never served as active
-- content: the web sends them as attachments with nosniff.
CREATE TABLE request_attachments (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    request_id   BIGINT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    field        TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    body         {{blob}} NOT NULL,
    staff_id     BIGINT,
    created_at   {{ts}} NOT NULL
);
CREATE INDEX request_attachments_request ON request_attachments (request_id, id);

-- +goose Down
DROP TABLE request_attachments;
DROP TABLE request_events;
DROP TABLE request_assets;
DROP TABLE request_waits;
DROP TABLE requests;
