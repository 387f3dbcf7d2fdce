-- +goose Up
-- The open findings (not covered by an exception) counted by department and severity, for the
-- organisation's overview on the home page: every write that opens, changes, closes, suppresses
-- or reopens a finding adds its difference here in its own transaction (compliance/counts.go),
-- so that the overview reads a hundred rows instead of every open finding. department_id 0 is
-- a finding without a department. The counts of the findings already recorded are taken here.
CREATE TABLE compliance_open_counts (
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    department_id BIGINT NOT NULL,
    severity_rank INTEGER NOT NULL,
    open          BIGINT NOT NULL,
    PRIMARY KEY (org_id, department_id, severity_rank)
);
INSERT INTO compliance_open_counts (org_id, department_id, severity_rank, open)
    SELECT org_id, COALESCE(department_id, 0), severity_rank, count(*) FROM compliance_findings
    WHERE closed_at IS NULL AND suppressed_by IS NULL
    GROUP BY org_id, COALESCE(department_id, 0), severity_rank;

-- The entries waiting for their second person are counted and listed, newest first, by
-- department and leaving out the actor's own: the index of entries by status holds those
-- columns too, so that the count and the first page are read from the index alone.
DROP INDEX logbook_entries_status;
CREATE INDEX logbook_entries_status ON logbook_entries (org_id, logbook, status, superseded_by_id, occurred_at DESC, id DESC,
    department_id, written_by_user_id, written_by_staff_id);

-- +goose Down
DROP INDEX logbook_entries_status;
CREATE INDEX logbook_entries_status ON logbook_entries (org_id, logbook, status, superseded_by_id, occurred_at DESC, id DESC);
DROP TABLE compliance_open_counts;
