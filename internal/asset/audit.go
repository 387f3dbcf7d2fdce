package asset

import (
	"context"
	"encoding/json"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/auditlog"
)

// AuditReadable is the register's rule for the audit log (an auditlog.Reader): an entry about
// an asset is readable in full by an actor who may see the asset's details, judged both by the
// asset as it is now and by the values the entry recorded (an asset lowered since, or deleted,
// keeps its past secret). To anyone else the entry shows who did what to which asset, and
// when, but not what was recorded, so that the audit log cannot be read around the register's
// rule.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	v, err := s.Sight(ctx, who)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, e := range entries {
		if id, err := strconv.ParseInt(e.EntityID, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	now := map[int64]Asset{}
	if v.HidesSome() {
		if now, err = Current(ctx, s.DB.SQL, who.OrgID, ids); err != nil {
			return nil, err
		}
	}
	for i, e := range entries {
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		hidden := false
		for _, a := range []Asset{now[id], Recorded(e.Before), Recorded(e.After)} {
			hidden = hidden || v.Hides(a)
		}
		out[i] = !hidden
	}
	return out, nil
}

// Recorded is the department and class a record (an audit entry, a frozen copy) kept of an
// asset, if it kept them.
func Recorded(js string) Asset {
	var a struct {
		DepartmentID int64             `json:"department_id"`
		Class        map[string]string `json:"class"`
	}
	if js != "" && json.Unmarshal([]byte(js), &a) == nil {
		return Asset{DepartmentID: a.DepartmentID, Class: a.Class}
	}
	return Asset{}
}
