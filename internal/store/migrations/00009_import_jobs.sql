-- +goose Up
-- An import of a register file in steps — upload, column mapping, dry run, apply — kept here so
-- that every server process of a cluster can show it and each step can read the uploaded file
-- again (file). A job belongs to the user who started it; only they and platform administrators
-- see it. kind names the register: assets.
--
-- state: mapping (uploaded, the columns to be confirmed), checking (dry run running), checked,
-- applying, applied, failed. While checking or applying, the process running the job (runner)
-- writes heartbeat_at every few seconds; a job whose heartbeat has stopped was interrupted, its
-- process having died. An apply is one transaction, so nothing of an interrupted one is written.
--
-- The file is dropped when the job has applied, keeping only the rejected rows (rejected, a CSV)
-- of a valid-only apply; both are dropped a day after the upload. report_json is the last
-- report (assetio.Report); problem_json a problem of the file as a whole, in both languages.
-- attempt counts the runs of the job: a run writes only while the job is still at its attempt,
-- so that a run taken for dead and started again cannot overwrite the new one.
CREATE TABLE import_jobs (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    filename      TEXT NOT NULL,
    file_size     BIGINT NOT NULL,
    file          {{blob}},
    rejected      {{blob}},
    mapping_json  TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL,
    valid_only    BOOLEAN NOT NULL DEFAULT FALSE,
    stage         TEXT NOT NULL DEFAULT '',
    done          INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    rows_read     INTEGER NOT NULL DEFAULT 0,
    rows_valid    INTEGER NOT NULL DEFAULT 0,
    rows_created  INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    report_json   TEXT NOT NULL DEFAULT '',
    problem_json  TEXT NOT NULL DEFAULT '',
    runner        TEXT NOT NULL DEFAULT '',
    attempt       INTEGER NOT NULL DEFAULT 0,
    heartbeat_at  {{ts}},
    created_at    {{ts}} NOT NULL,
    updated_at    {{ts}} NOT NULL,
    finished_at   {{ts}}
);
CREATE INDEX import_jobs_user ON import_jobs (org_id, user_id, id);
CREATE INDEX import_jobs_created ON import_jobs (created_at);

-- +goose Down
DROP TABLE import_jobs;
