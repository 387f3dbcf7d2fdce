-- +goose Up
-- The time step of the last TOTP code accepted, so that a code cannot be used twice.
ALTER TABLE users ADD COLUMN mfa_last_step BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN mfa_last_step;
