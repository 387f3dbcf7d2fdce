-- +goose Up
-- Sign-in from the organisation's directory (Active Directory / LDAP, or an OpenID Connect
-- provider). A user says where it comes from: 'local' (a Mamori password) or the directory
-- ('ldap', 'oidc') with the directory's subject (the entry's DN, the token's sub); a directory
-- user has no usable password. A role assignment says whether it came from the directory's
-- groups ('directory'), so that a sign-in changes only those and never one made by hand. A
-- session remembers whether the provider asserted a second factor, so that Mamori does not ask
-- for its own when the pack requires one and the provider has given it.
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE users ADD COLUMN directory_subject TEXT NOT NULL DEFAULT '';
CREATE INDEX users_directory ON users (org_id, source, directory_subject);
ALTER TABLE role_assignments ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE sessions ADD COLUMN mfa_asserted BOOLEAN NOT NULL DEFAULT FALSE;

-- The organisation's directory settings: whether sign-in from the directory is on, where the
-- department comes from and how its values and the directory's groups map to departments and
-- pack roles, and which local users (break-glass administrators) keep their Mamori password.
-- The mapping is one JSON document, read and checked whole by internal/directory.
CREATE TABLE directory_settings (
    org_id             BIGINT PRIMARY KEY REFERENCES organizations(id),
    enabled            BOOLEAN NOT NULL DEFAULT FALSE,
    body               TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    updated_by_user_id BIGINT,
    updated_at         {{ts}} NOT NULL
);

-- +goose Down
DROP TABLE directory_settings;
ALTER TABLE sessions DROP COLUMN mfa_asserted;
ALTER TABLE role_assignments DROP COLUMN source;
DROP INDEX users_directory;
ALTER TABLE users DROP COLUMN directory_subject;
ALTER TABLE users DROP COLUMN source;
