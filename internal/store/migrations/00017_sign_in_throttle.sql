-- +goose Up
-- Failed sign-ins by source address, shared by every server process: past a limit within a
-- window, further attempts from the address are refused before they count against an account.
CREATE TABLE login_throttle (
    address      TEXT PRIMARY KEY,
    window_start {{ts}} NOT NULL,
    failures     INTEGER NOT NULL
);

-- How a locked account is unlocked: 0 by an administrator, otherwise after this many minutes.
ALTER TABLE organizations ADD COLUMN unlock_after_minutes INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE organizations DROP COLUMN unlock_after_minutes;
DROP TABLE login_throttle;
