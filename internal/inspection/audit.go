package inspection

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/auditlog"
)

// AuditReadable is the audit log's Reader of the kinds this package writes: an entry about a
// sheet or a finding is read in full by those who read the sheet; one about a campaign by those
// who read every sheet (its entry names all the departments it goes to).
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	for i, e := range entries {
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		switch e.Entity {
		case "inspection_campaign":
			out[i] = seesAll(p, who)
		case "inspection_sheet":
			var dept int64
			var role string
			err := s.DB.SQL.QueryRowContext(ctx, `SELECT COALESCE(department_id, 0), role_id FROM inspection_sheets WHERE org_id = $1 AND id = $2`,
				who.OrgID, id).Scan(&dept, &role)
			out[i] = err == nil && standingOf(p, who, Sheet{DepartmentID: dept, RoleID: role}) != none
		case "inspection_finding":
			var dept int64
			var role string
			err := s.DB.SQL.QueryRowContext(ctx, `SELECT COALESCE(s.department_id, 0), s.role_id FROM inspection_findings f
				JOIN inspection_sheets s ON s.id = f.sheet_id WHERE f.org_id = $1 AND f.id = $2`, who.OrgID, id).Scan(&dept, &role)
			out[i] = err == nil && standingOf(p, who, Sheet{DepartmentID: dept, RoleID: role}) != none
		}
	}
	return out, nil
}
