-- +goose Up
-- Login rules an organisation's pack sets beyond the lockout threshold.
ALTER TABLE organizations ADD COLUMN password_min_length INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN mfa_roles TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE organizations DROP COLUMN mfa_roles;
ALTER TABLE organizations DROP COLUMN password_min_length;
