-- +goose Up
-- Service accounts are the logins of integrations: no password, no staff record, the roles they
-- are given here, and API tokens only; they cannot sign in to the web.
ALTER TABLE users ADD COLUMN service_account BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE service_account_roles (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    role_id       TEXT NOT NULL,
    scope         TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    system_ref    TEXT NOT NULL DEFAULT '',
    created_at    {{ts}} NOT NULL
);
CREATE INDEX service_account_roles_user ON service_account_roles (org_id, user_id);

-- API tokens carry a scope (read, or read-write), an expiry, and where they were last used from.
-- Tokens issued before expired nothing: they are read-write and end 90 days after their issue.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read-write';
ALTER TABLE api_tokens ADD COLUMN expires_at {{ts}};
ALTER TABLE api_tokens ADD COLUMN last_used_addr TEXT NOT NULL DEFAULT '';
-- +mamori sqlite
UPDATE api_tokens SET expires_at = datetime(created_at, '+90 days');
-- +mamori end
-- +mamori postgres
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
-- +mamori end
CREATE INDEX api_tokens_user ON api_tokens (org_id, user_id);

-- +goose Down
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN last_used_addr;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN scope;
DROP TABLE service_account_roles;
ALTER TABLE users DROP COLUMN service_account;
