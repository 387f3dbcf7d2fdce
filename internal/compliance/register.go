package compliance

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Exception is an entry of the exception register (例外措置の記録, 山形県 14.3).
type Exception struct {
	ID             int64    `json:"id"`
	RequestID      int64    `json:"request_id"`
	ApplicantID    int64    `json:"applicant_staff_id,omitempty"`
	ApplicantName  string   `json:"applicant_name,omitempty"`
	DepartmentID   int64    `json:"department_id,omitempty"`
	DepartmentName string   `json:"department_name,omitempty"`
	Provision      string   `json:"provision,omitempty"`
	Reason         string   `json:"reason,omitempty"`
	Measures       string   `json:"measures,omitempty"`
	Rules          []string `json:"rules"`
	ExpiresOn      string   `json:"expires_on,omitempty"`
	PostHoc        bool     `json:"post_hoc"`
	// Withheld: the exception covers an asset whose details are not for the reader (the
	// highest class outside their reach), so its rules, reasons and measures are not shown —
	// they would tell what the asset holds.
	Withheld   bool            `json:"withheld,omitempty"`
	Cite       string          `json:"cite,omitempty"`
	State      string          `json:"state"` // active, expired, withdrawn
	ApprovedAt time.Time       `json:"approved_at"`
	EndedAt    *time.Time      `json:"ended_at,omitempty"`
	Items      []ExceptionItem `json:"items"`
}

// ExceptionItem is one rule and asset an exception covers, and whether it holds a finding open.
type ExceptionItem struct {
	RuleID      string `json:"rule_id"`
	AssetID     int64  `json:"asset_id"`
	AssetNumber string `json:"asset_number"`
	Active      bool   `json:"active"`
}

// exceptionSelect reads the columns scanException scans, followed by the caller's WHERE.
const exceptionSelect = `SELECT e.id, e.request_id, COALESCE(e.applicant_staff_id, 0), COALESCE(st.name, ''),
		COALESCE(e.department_id, 0), COALESCE(d.name, ''), e.provision, e.reason, e.measures, e.rules_json, e.expires_on, e.post_hoc,
		e.cite, e.state, e.approved_at, e.ended_at
		FROM compliance_exceptions e LEFT JOIN staff st ON st.id = e.applicant_staff_id LEFT JOIN departments d ON d.id = e.department_id
		`

// scanException reads one exception of exceptionSelect (without its items).
func scanException(rows *sql.Rows) (Exception, error) {
	var e Exception
	var rules string
	var ended sql.NullTime
	if err := rows.Scan(&e.ID, &e.RequestID, &e.ApplicantID, &e.ApplicantName, &e.DepartmentID, &e.DepartmentName, &e.Provision,
		&e.Reason, &e.Measures, &rules, &e.ExpiresOn, &e.PostHoc, &e.Cite, &e.State, &e.ApprovedAt, &ended); err != nil {
		return e, apperr.Wrap(err, "exceptions")
	}
	_ = json.Unmarshal([]byte(rules), &e.Rules)
	e.ApprovedAt = e.ApprovedAt.UTC()
	if ended.Valid {
		t := ended.Time.UTC()
		e.EndedAt = &t
	}
	return e, nil
}

// Exceptions lists the exception register, newest first: every approved exception with the
// rules and assets it covers. state narrows it (active, expired, withdrawn); "" lists all.
// Those who see every department's findings see the whole register; others the exceptions of
// their departments.
func (s *Service) Exceptions(ctx context.Context, who access.Actor, state string) ([]Exception, error) {
	all, depts := visibility(who)
	rows, err := s.DB.SQL.QueryContext(ctx, exceptionSelect+`WHERE e.org_id = $1 AND ($2 = '' OR e.state = $2) ORDER BY e.id DESC`, who.OrgID, state)
	if err != nil {
		return nil, apperr.Wrap(err, "exceptions")
	}
	var out []Exception
	for rows.Next() {
		e, err := scanException(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if !all && !contains(depts, e.DepartmentID) {
			continue
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "exceptions")
	}
	for i := range out {
		items, err := s.DB.SQL.QueryContext(ctx, `SELECT rule_id, asset_id, asset_number, active FROM compliance_exception_items
			WHERE exception_id = $1 AND org_id = $2 ORDER BY id`, out[i].ID, who.OrgID)
		if err != nil {
			return nil, apperr.Wrap(err, "exception items")
		}
		for items.Next() {
			var it ExceptionItem
			if err := items.Scan(&it.RuleID, &it.AssetID, &it.AssetNumber, &it.Active); err != nil {
				items.Close()
				return nil, apperr.Wrap(err, "exception items")
			}
			out[i].Items = append(out[i].Items, it)
		}
		items.Close()
	}
	return out, s.withhold(ctx, who, out)
}

// withhold empties, in place, what an exception says of its rules when it covers an asset whose
// details are not for the actor — or one the actor cannot read at all.
func (s *Service) withhold(ctx context.Context, who access.Actor, list []Exception) error {
	if s.Assets == nil {
		return nil
	}
	hidden := map[int64]bool{}
	for i := range list {
		e := &list[i]
		for _, it := range e.Items {
			h, seen := hidden[it.AssetID]
			if !seen {
				a, err := s.Assets.Get(ctx, who, it.AssetID)
				switch {
				case apperr.CodeOf(err) == apperr.NotFound:
					h = true
				case err != nil:
					return err
				default:
					h = a.Restricted
				}
				hidden[it.AssetID] = h
			}
			e.Withheld = e.Withheld || h
		}
		if e.Withheld {
			e.Rules, e.Provision, e.Reason, e.Measures, e.Cite = []string{}, "", "", "", ""
			for j := range e.Items {
				e.Items[j].RuleID = ""
			}
		}
	}
	return nil
}

func contains(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}
