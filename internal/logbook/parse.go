package logbook

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// ParseField turns what a person writes for a field — in the entry form or on the command line —
// into the value Input.Fields takes: nil for an empty value, which leaves the field out; a bool
// for a ticked box ("on") or a yes/no word; trimmed text for anything else, which Create checks
// by the field's type. Staff, assets and departments named as people name them are found by
// Refer.
func ParseField(f policy.Field, s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if f.Type == "bool" {
		if b, err := typed(f, s); err == nil {
			return b
		}
	}
	return s
}

// refs are the tables a reference field names and the column people name a row by: the staff
// number (職員番号), the 管理番号 of the asset register and the department code.
var refs = map[string]struct{ table, column string }{
	"staff":      {"staff", "employee_no"},
	"asset":      {"assets", "number"},
	"department": {"departments", "code"},
}

// Refer finds the staff, asset or department (by the field's type) that a person names by its
// staff number, 管理番号 or department code in the organisation, as typed or in its NFKC form
// (全角 digits and letters); found is false when there is
// none.
func (s *Service) Refer(ctx context.Context, orgID int64, f policy.Field, text string) (id int64, found bool, err error) {
	r, ok := refs[f.Type]
	if !ok {
		return 0, false, nil
	}
	text = strings.TrimSpace(text)
	err = s.DB.SQL.QueryRowContext(ctx, `SELECT id FROM `+r.table+` WHERE org_id = $1 AND (`+r.column+` = $2 OR `+r.column+` = $3)
		ORDER BY CASE WHEN `+r.column+` = $2 THEN 0 ELSE 1 END LIMIT 1`, orgID, text, norm.NFKC.String(text)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, apperr.Wrap(err, "logbook reference")
	}
	return id, true, nil
}

// ReferError is the error for a reference that names nothing: the field's own, with its name.
func ReferError(f policy.Field) error {
	return apperr.InvalidField(fieldKey(f.ID), "logbook.error."+f.Type, f.Name)
}
