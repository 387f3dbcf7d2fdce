-- +goose Up
-- The accounts of the organisation's information systems (システムの利用者ID): for each system of
-- the register (its reference, asset.SystemOf), each account with its kind — personal (個人),
-- privileged (特権), shared (共用), emergency (緊急用), service (サービス) — its owner (a staff
-- record, or for a non-personal account a named responsible person), the approval that granted
-- it, the last review, and for a privileged ID the day its password was last changed and who may
-- act for the ネットワーク管理者. An account is never deleted: a removal is recorded with who
-- removed it and when, which is what closes a removal decided in an access review.
-- approval_ref names a paper approval where no request of the pack's kind granted the account;
-- findings holds the ids of the pack's account rules the account fails (comma-separated,
-- sorted), as of checked_on, kept in step by every write and by the daily sweep.
CREATE TABLE system_accounts (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES organizations(id),
    system_ref          TEXT NOT NULL,
    login               TEXT NOT NULL,
    kind                TEXT NOT NULL,
    display_name        TEXT NOT NULL DEFAULT '',
    owner_staff_id      BIGINT REFERENCES staff(id),
    responsible_name    TEXT NOT NULL DEFAULT '',
    department_id       BIGINT REFERENCES departments(id),
    granted_request_id  BIGINT,
    granted_on          TEXT NOT NULL DEFAULT '',
    last_login_on       TEXT NOT NULL DEFAULT '',
    last_reviewed_on    TEXT NOT NULL DEFAULT '',
    password_changed_on TEXT NOT NULL DEFAULT '',
    deputy_staff_id     BIGINT REFERENCES staff(id),
    state               TEXT NOT NULL DEFAULT 'active',
    removed_on          TEXT NOT NULL DEFAULT '',
    removed_by_name     TEXT NOT NULL DEFAULT '',
    source              TEXT NOT NULL DEFAULT 'manual',
    note                TEXT NOT NULL DEFAULT '',
    approval_ref        TEXT NOT NULL DEFAULT '',
    findings            TEXT NOT NULL DEFAULT '',
    checked_on          TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          {{ts}} NOT NULL,
    updated_at          {{ts}} NOT NULL,
    UNIQUE (org_id, system_ref, login)
);
CREATE INDEX system_accounts_owner ON system_accounts (org_id, owner_staff_id);
CREATE INDEX system_accounts_department ON system_accounts (org_id, department_id);
CREATE INDEX system_accounts_deputy ON system_accounts (org_id, deputy_staff_id);

-- +goose Down
DROP TABLE system_accounts;
