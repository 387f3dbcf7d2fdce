-- +goose Up
-- The home page (the desk) counts the open findings by department and severity for those who
-- watch the whole organisation. The open findings not covered by an exception are counted from
-- this index alone, without reading the findings themselves.
CREATE INDEX compliance_findings_open_counts ON compliance_findings (org_id, department_id, severity_rank, suppressed_by) WHERE closed_at IS NULL;

-- +goose Down
DROP INDEX compliance_findings_open_counts;
