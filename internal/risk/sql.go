package risk

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

const columns = `r.id, r.org_id, r.asset_kind, r.group_impact, r.threat, r.asset_count, r.highest, r.departments_json,
	r.open_findings, r.failing_json, r.controls_json, r.proposed_likelihood, r.likelihood, r.impact, r.treatment, r.plan,
	COALESCE(r.owner_department_id, 0), COALESCE(d.name, ''), r.residual_likelihood, r.residual_impact, r.state,
	r.assessed_by, r.assessed_at, r.accepted_by, r.accepted_at, r.accepted_until, r.acceptance_note,
	r.generated_at, r.updated_at, r.version`

const from = ` FROM risks r LEFT JOIN departments d ON d.id = r.owner_department_id`

func scan(row interface{ Scan(...any) error }) (Risk, error) {
	var r Risk
	var depts, failing, controls string
	var assessedAt, acceptedAt sql.NullTime
	err := row.Scan(&r.ID, &r.OrgID, &r.AssetKind, &r.GroupImpact, &r.Threat, &r.AssetCount, &r.Highest, &depts,
		&r.OpenFindings, &failing, &controls, &r.ProposedLikelihood, &r.Likelihood, &r.Impact, &r.Treatment, &r.Plan,
		&r.OwnerDepartmentID, &r.OwnerDepartmentName, &r.ResidualLikelihood, &r.ResidualImpact, &r.State,
		&r.AssessedBy, &assessedAt, &r.AcceptedBy, &acceptedAt, &r.AcceptedUntil, &r.AcceptanceNote,
		&r.GeneratedAt, &r.UpdatedAt, &r.Version)
	if err != nil {
		return r, err
	}
	_ = json.Unmarshal([]byte(depts), &r.Departments)
	_ = json.Unmarshal([]byte(failing), &r.Failing)
	_ = json.Unmarshal([]byte(controls), &r.Controls)
	if assessedAt.Valid {
		t := assessedAt.Time.UTC()
		r.AssessedAt = &t
	}
	if acceptedAt.Valid {
		t := acceptedAt.Time.UTC()
		r.AcceptedAt = &t
	}
	r.GeneratedAt, r.UpdatedAt = r.GeneratedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

func get(ctx context.Context, q store.Querier, orgID, id int64) (Risk, error) {
	r, err := scan(q.QueryRowContext(ctx, `SELECT `+columns+from+` WHERE r.org_id = $1 AND r.id = $2`, orgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "risk.error.not_found")
	}
	if err != nil {
		return r, apperr.Wrap(err, "risk")
	}
	return r, nil
}

// query lists the organisation's risks in the register's order (threat, kind, group impact),
// only those of the given owner departments when owners is not nil.
func query(ctx context.Context, q store.Querier, orgID int64, owners []int64, f Filter) ([]Risk, error) {
	conds, args := []string{"r.org_id = $1"}, []any{orgID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if owners != nil {
		if len(owners) == 0 {
			return nil, nil
		}
		var in []string
		for _, d := range owners {
			in = append(in, arg(d))
		}
		conds = append(conds, "r.owner_department_id IN ("+strings.Join(in, ", ")+")")
	}
	if f.State != "" {
		conds = append(conds, "r.state = "+arg(f.State))
	} else if !f.Retired {
		conds = append(conds, "r.state <> "+arg(StateRetired))
	}
	if f.Threat != "" {
		conds = append(conds, "r.threat = "+arg(f.Threat))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+columns+from+` WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY r.threat, r.asset_kind, r.group_impact, r.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "risks")
	}
	defer rows.Close()
	var out []Risk
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "risks")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func jsonText(v any) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}
