-- +goose Up
-- お知らせ: notices that tell people what waits for them (a request to decide, a decision made,
-- an overdue return). A notice is written in the transaction of the change that caused it, so it
-- exists exactly when that change does. Its text is kept in both languages; each reader sees
-- their own. ref_type and ref_id name the record it is about; once_key, when set, makes a notice
-- unique per kind and record (a daily reminder uses the day), so that a repeated sweep sends
-- nothing twice.
CREATE TABLE notices (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    kind        TEXT NOT NULL,  -- request.waiting, request.decided, return.overdue …
    subject_ja  TEXT NOT NULL,
    subject_en  TEXT NOT NULL DEFAULT '',
    body_ja     TEXT NOT NULL DEFAULT '',
    body_en     TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',  -- a path inside Mamori
    ref_type    TEXT NOT NULL DEFAULT '',
    ref_id      BIGINT NOT NULL DEFAULT 0,
    once_key    TEXT,
    created_at  {{ts}} NOT NULL
);
CREATE UNIQUE INDEX notices_once ON notices (org_id, kind, ref_type, ref_id, once_key) WHERE once_key IS NOT NULL;

-- One row per user who sees a notice in the app. The header's unread count and the list of a
-- user's notices are index lookups however many notices the organisation has: the partial index
-- holds the unread rows only.
CREATE TABLE notice_recipients (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    notice_id   BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    read_at     {{ts}},
    UNIQUE (notice_id, user_id)
);
CREATE INDEX notice_recipients_user ON notice_recipients (user_id, org_id, id);
CREATE INDEX notice_recipients_unread ON notice_recipients (user_id, org_id, id) WHERE read_at IS NULL;

-- Mail to send, one row per address. The mailer of any server process claims due rows for a
-- while (claimed_until, claimed_by) and marks them sent; a failure is tried again later
-- (next_at) until attempts reach the limit, keeping a short code and message of the last error
-- for administrators. state: pending, sent, failed (gave up), expired (too old to be worth
-- sending, e.g. written while no mail server was configured).
CREATE TABLE mail_outbox (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    notice_id     BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    address       TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'ja',
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       {{ts}} NOT NULL,
    claimed_until {{ts}},
    claimed_by    TEXT NOT NULL DEFAULT '',
    last_code     TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    message_id    TEXT NOT NULL DEFAULT '',
    created_at    {{ts}} NOT NULL,
    sent_at       {{ts}}
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE state = 'pending';
CREATE INDEX mail_outbox_org ON mail_outbox (org_id, state, id);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE notice_recipients;
DROP TABLE notices;
