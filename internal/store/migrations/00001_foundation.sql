-- +goose Up
-- The foundation: organisations, their department tree, staff and users, role assignments,
-- sessions, API tokens and the hash-chained audit log. Every table carries org_id.
-- {{id}}, {{ts}} and {{blob}} are filled in per engine by internal/store.

CREATE TABLE organizations (
    id          {{id}},
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'municipality',
    parent_id   BIGINT REFERENCES organizations(id),
    pack_id     TEXT NOT NULL DEFAULT '',
    lockout_after_failures INTEGER NOT NULL DEFAULT 5,
    created_at  {{ts}} NOT NULL
);

CREATE TABLE departments (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    parent_id   BIGINT REFERENCES departments(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  {{ts}} NOT NULL,
    UNIQUE (org_id, code)
);
CREATE INDEX departments_parent ON departments (org_id, parent_id);

CREATE TABLE staff (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    department_id BIGINT REFERENCES departments(id),
    employee_no   TEXT NOT NULL,
    name          TEXT NOT NULL,
    kana          TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    employment    TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    {{ts}} NOT NULL,
    UNIQUE (org_id, employee_no)
);
CREATE INDEX staff_department ON staff (org_id, department_id);

CREATE TABLE users (
    id                   {{id}},
    org_id               BIGINT NOT NULL REFERENCES organizations(id),
    staff_id             BIGINT REFERENCES staff(id),
    login                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    platform_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_at            {{ts}},
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    lang                 TEXT NOT NULL DEFAULT 'ja',
    mfa_secret           TEXT NOT NULL DEFAULT '',
    mfa_enabled          BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at  {{ts}} NOT NULL,
    created_at           {{ts}} NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE password_history (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    created_at    {{ts}} NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);

CREATE TABLE recovery_codes (
    id         {{id}},
    org_id     BIGINT NOT NULL REFERENCES organizations(id),
    user_id    BIGINT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    {{ts}}
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    stage        TEXT NOT NULL,
    created_at   {{ts}} NOT NULL,
    last_seen_at {{ts}} NOT NULL,
    expires_at   {{ts}} NOT NULL,
    remote_addr  TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   {{ts}} NOT NULL,
    last_used_at {{ts}},
    revoked_at   {{ts}}
);

CREATE TABLE role_assignments (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id),
    role_id         TEXT NOT NULL,
    scope           TEXT NOT NULL,
    department_id   BIGINT REFERENCES departments(id),
    system_ref      TEXT NOT NULL DEFAULT '',
    holder_staff_id BIGINT REFERENCES staff(id),
    acting_staff_id BIGINT REFERENCES staff(id),
    valid_from      TEXT NOT NULL DEFAULT '',
    valid_to        TEXT NOT NULL DEFAULT '',
    created_at      {{ts}} NOT NULL
);
CREATE INDEX role_assignments_holder ON role_assignments (org_id, holder_staff_id);
CREATE INDEX role_assignments_acting ON role_assignments (org_id, acting_staff_id);

-- One chain per organisation. The head row is locked by every append, so concurrent writers
-- (even several processes on one PostgreSQL) queue on it and the chain never forks.
CREATE TABLE audit_heads (
    org_id  BIGINT PRIMARY KEY REFERENCES organizations(id),
    seq     BIGINT NOT NULL,
    hash    TEXT NOT NULL
);

CREATE TABLE audit_entries (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    seq           BIGINT NOT NULL,
    at            {{ts}} NOT NULL,
    actor_user_id BIGINT,
    actor         TEXT NOT NULL,
    remote_addr   TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    action        TEXT NOT NULL,
    before_json   TEXT NOT NULL DEFAULT '',
    after_json    TEXT NOT NULL DEFAULT '',
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (org_id, seq)
);
CREATE INDEX audit_entries_entity ON audit_entries (org_id, entity, entity_id);
CREATE INDEX audit_entries_at ON audit_entries (org_id, at);
CREATE INDEX audit_entries_actor ON audit_entries (org_id, actor);

-- +goose Down
DROP TABLE audit_entries;
DROP TABLE audit_heads;
DROP TABLE role_assignments;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE password_history;
DROP TABLE users;
DROP TABLE staff;
DROP TABLE departments;
DROP TABLE organizations;
