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

-- +goose Down
DROP TABLE compliance_open_counts;
