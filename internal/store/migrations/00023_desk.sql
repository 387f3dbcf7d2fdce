-- +goose Up
-- The home page (the desk) counts the open findings by department and severity for those who
-- watch the whole organisation, leaving out those an exception covers. The index of open
-- findings by department also holds whether a finding is covered, so that the count is read
-- from the index alone, in its order, without reading the findings themselves (SQLite takes a
-- partial index as covering only when it holds every column the query names, closed_at too).
DROP INDEX compliance_findings_open_dept;
CREATE INDEX compliance_findings_open_dept ON compliance_findings (org_id, department_id, severity_rank, suppressed_by, closed_at) WHERE closed_at IS NULL;

-- +goose Down
DROP INDEX compliance_findings_open_dept;
CREATE INDEX compliance_findings_open_dept ON compliance_findings (org_id, department_id, severity_rank) WHERE closed_at IS NULL;
