-- +goose Up
-- The background jobs of the scheduler: when each is next due. A process runs a job only after
-- moving next_at on past now in one UPDATE, so that of several server processes one runs it.
CREATE TABLE jobs (
    name    TEXT PRIMARY KEY,
    next_at {{ts}} NOT NULL
);

-- What each run of a job did, for the platform administrators: when, its outcome (ok, failed),
-- how many things it did and, when it failed, the error (never shown to anyone else).
CREATE TABLE job_runs (
    id          {{id}},
    job         TEXT NOT NULL,
    started_at  {{ts}} NOT NULL,
    finished_at {{ts}} NOT NULL,
    outcome     TEXT NOT NULL,
    count       BIGINT NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_started ON job_runs (started_at);
CREATE INDEX job_runs_job ON job_runs (job, started_at);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE jobs;
