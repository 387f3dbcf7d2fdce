-- +goose Up
-- 棚卸し (access reviews): a review of the accounts of one system or of one department's staff,
-- opened by the 情報政策課, the 統括 or the system's administrator. Opening it copies the accounts
-- in scope onto its items as they stand (owner, department, kind, last sign-in and the flags read
-- from them: leaver, moved, orphaned, privileged without owner, dormant), so that a later change
-- to an account does not rewrite what was reviewed. Each item is decided keep / remove / change
-- with a reason by one of its reviewers (the pack's reviewing roles of the item's department or
-- system, frozen on the review); a removal or change is closed by its proof — who did it in the
-- system, on which day, with a note — which also marks the account in system_accounts.
CREATE TABLE access_reviews (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id),
    title           TEXT NOT NULL,
    scope           TEXT NOT NULL,
    system_ref      TEXT NOT NULL DEFAULT '',
    system_name     TEXT NOT NULL DEFAULT '',
    department_id   BIGINT REFERENCES departments(id),
    department_name TEXT NOT NULL DEFAULT '',
    pack_id         TEXT NOT NULL,
    pack_version    TEXT NOT NULL,
    reviewer_roles  TEXT NOT NULL,
    proof_roles     TEXT NOT NULL,
    opened_on       TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'open',
    opened_by       TEXT NOT NULL,
    opened_by_user  BIGINT,
    created_at      {{ts}} NOT NULL,
    closed_at       {{ts}},
    closed_by       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_reviews_org ON access_reviews (org_id, state, due_on);

CREATE TABLE access_review_items (
    id               {{id}},
    org_id           BIGINT NOT NULL REFERENCES organizations(id),
    review_id        BIGINT NOT NULL REFERENCES access_reviews(id),
    account_id       BIGINT NOT NULL REFERENCES system_accounts(id),
    system_ref       TEXT NOT NULL,
    login            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    display_name     TEXT NOT NULL DEFAULT '',
    owner_staff_id   BIGINT REFERENCES staff(id),
    owner_name       TEXT NOT NULL DEFAULT '',
    owner_department TEXT NOT NULL DEFAULT '',
    responsible_name TEXT NOT NULL DEFAULT '',
    department_id    BIGINT REFERENCES departments(id),
    department_name  TEXT NOT NULL DEFAULT '',
    last_login_on    TEXT NOT NULL DEFAULT '',
    flags            TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    reason           TEXT NOT NULL DEFAULT '',
    decided_by       TEXT NOT NULL DEFAULT '',
    decided_by_user  BIGINT,
    decided_at       {{ts}},
    proof_on         TEXT NOT NULL DEFAULT '',
    proof_by_name    TEXT NOT NULL DEFAULT '',
    proof_note       TEXT NOT NULL DEFAULT '',
    proved_by        TEXT NOT NULL DEFAULT '',
    proved_at        {{ts}},
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (review_id, account_id)
);
CREATE INDEX access_review_items_department ON access_review_items (org_id, department_id, outcome);
CREATE INDEX access_review_items_system ON access_review_items (org_id, system_ref, outcome);

-- +goose Down
DROP TABLE access_review_items;
DROP TABLE access_reviews;
