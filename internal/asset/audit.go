package asset

import (
	"context"
	"encoding/json"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// ScreenAudit withholds from audit entries about assets the recorded values of assets whose
// details the actor may not see: an asset of the highest class outside their reach, judged
// both by the asset as it is now and by the values the entry recorded (an asset lowered since,
// or deleted, keeps its past secret). The entry stays — who did what to which asset, and when —
// but its before and after are withheld, so that the audit log cannot be read around the
// register's rule. The chain is verified on the stored entries, never on screened ones.
func (s *Service) ScreenAudit(ctx context.Context, who access.Actor, entries []auditlog.Entry) error {
	r := reachOf(who)
	if r.detailAll {
		return nil
	}
	top, err := s.topLevels(ctx, who.OrgID)
	if err != nil || len(top) == 0 {
		return err
	}
	var ids []int64
	for _, e := range entries {
		if id, err := strconv.ParseInt(e.EntityID, 10, 64); e.Entity == "asset" && err == nil {
			ids = append(ids, id)
		}
	}
	now, err := s.current(ctx, who.OrgID, ids)
	if err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		if e.Entity != "asset" || (e.Before == "" && e.After == "") {
			continue
		}
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		hidden := false
		for _, a := range []Asset{now[id], recorded(e.Before), recorded(e.After)} {
			hidden = hidden || (a.DepartmentID != 0 && r.hides(top, a))
		}
		if hidden {
			e.Before, e.After, e.Withheld = "", "", true
		}
	}
	return nil
}

// recorded is the department and class an audit entry recorded of an asset, if it did.
func recorded(js string) Asset {
	var a struct {
		DepartmentID int64             `json:"department_id"`
		Class        map[string]string `json:"class"`
	}
	if js != "" && json.Unmarshal([]byte(js), &a) == nil {
		return Asset{DepartmentID: a.DepartmentID, Class: a.Class}
	}
	return Asset{}
}

// current reads the department and class of the given assets as they are now.
func (s *Service) current(ctx context.Context, orgID int64, ids []int64) (map[int64]Asset, error) {
	out := map[int64]Asset{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{orgID}
	in := ""
	for i, id := range ids {
		if i > 0 {
			in += ", "
		}
		args = append(args, id)
		in += "$" + strconv.Itoa(len(args))
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT a.id, COALESCE(a.department_id, 0), l.axis, l.level FROM assets a
		LEFT JOIN asset_levels l ON l.asset_id = a.id WHERE a.org_id = $1 AND a.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "assets of audit entries")
	}
	defer rows.Close()
	for rows.Next() {
		var id, dept int64
		var axis, level *string
		if err := rows.Scan(&id, &dept, &axis, &level); err != nil {
			return nil, apperr.Wrap(err, "assets of audit entries")
		}
		a := out[id]
		if a.Class == nil {
			a = Asset{DepartmentID: dept, Class: map[string]string{}}
		}
		if axis != nil && level != nil {
			a.Class[*axis] = *level
		}
		out[id] = a
	}
	return out, rows.Err()
}
