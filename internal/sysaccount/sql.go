package sysaccount

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

const accountColumns = `sa.id, sa.org_id, sa.system_ref, sa.login, sa.kind, sa.display_name, COALESCE(sa.owner_staff_id, 0),
	sa.responsible_name, COALESCE(sa.department_id, 0), COALESCE(sa.granted_request_id, 0), sa.approval_ref, sa.granted_on,
	sa.last_login_on, sa.last_reviewed_on, sa.password_changed_on, COALESCE(sa.deputy_staff_id, 0), sa.state, sa.removed_on,
	sa.removed_by_name, sa.source, sa.note, sa.findings, sa.checked_on, sa.version, sa.created_at, sa.updated_at,
	COALESCE(st.name, ''), COALESCE(st.employee_no, ''), COALESCE(st.department_id, 0), COALESCE(sd.name, ''),
	COALESCE(st.active, FALSE), COALESCE(st.left_on, ''), COALESCE(st.employment, ''), COALESCE(dp.name, ''), COALESCE(gd.name, '')`

const accountFrom = ` FROM system_accounts sa
	LEFT JOIN staff st ON st.id = sa.owner_staff_id
	LEFT JOIN departments sd ON sd.id = st.department_id
	LEFT JOIN staff dp ON dp.id = sa.deputy_staff_id
	LEFT JOIN departments gd ON gd.id = sa.department_id `

func scanAccount(sc interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var findings string
	err := sc.Scan(&a.ID, &a.OrgID, &a.SystemRef, &a.Login, &a.Kind, &a.DisplayName, &a.OwnerStaffID, &a.ResponsibleName,
		&a.DepartmentID, &a.GrantedRequestID, &a.ApprovalRef, &a.GrantedOn, &a.LastLoginOn, &a.LastReviewedOn,
		&a.PasswordChangedOn, &a.DeputyStaffID, &a.State, &a.RemovedOn, &a.RemovedByName, &a.Source, &a.Note, &findings,
		&a.CheckedOn, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.OwnerName, &a.OwnerEmployeeNo, &a.OwnerDepartmentID,
		&a.OwnerDepartmentName, &a.OwnerActive, &a.OwnerLeftOn, &a.OwnerEmployment, &a.DeputyName, &a.DepartmentName)
	a.Findings = splitFindings(findings)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func splitFindings(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func get(ctx context.Context, q store.Querier, orgID, id int64) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+`WHERE sa.id = $1 AND sa.org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return a, apperr.Wrap(err, "system account")
	}
	return a, nil
}

// query returns the accounts matching the condition (over sa, st), in system and login order.
func query(ctx context.Context, q store.Querier, cond string, args ...any) ([]Account, error) {
	return queryPage(ctx, q, cond, "", args...)
}

// queryPage is query with a LIMIT/OFFSET tail.
func queryPage(ctx context.Context, q store.Querier, cond, tail string, args ...any) ([]Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+accountFrom+`WHERE `+cond+` ORDER BY sa.system_ref, sa.login, sa.id`+tail, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "list system accounts")
	}
	defer rows.Close()
	out := []Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "scan system account")
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "list system accounts")
	}
	return out, nil
}

// systems returns the information systems of the organisation's register: every asset of kind
// system, by its reference (asset.SystemOf: its system reference, or its own number).
func systems(ctx context.Context, q store.Querier, orgID int64) ([]System, error) {
	rows, err := q.QueryContext(ctx, `SELECT CASE WHEN system_ref <> '' THEN system_ref ELSE number END, name
		FROM assets WHERE org_id = $1 AND kind = 'system' AND state <> 'disposed' ORDER BY number, id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "list systems")
	}
	defer rows.Close()
	var out []System
	seen := map[string]bool{}
	for rows.Next() {
		var s System
		if err := rows.Scan(&s.Ref, &s.Name); err != nil {
			return nil, apperr.Wrap(err, "scan system")
		}
		if !seen[s.Ref] {
			seen[s.Ref] = true
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
