package incident

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// TriageInput is the first recipients' judgement of a report.
type TriageInput struct {
	Version      int      `json:"version"`
	IsIncident   bool     `json:"is_incident"`
	Category     string   `json:"category"` // a pack category id
	Severity     string   `json:"severity"` // low, medium, high, critical
	Routes       []string `json:"routes"`   // pack route ids; the pack's first route when none
	DepartmentID int64    `json:"department_id"`
	AssetIDs     []int64  `json:"asset_ids"`
	Systems      []string `json:"systems"`
	Restricted   bool     `json:"restricted"`
	Note         string   `json:"note"`
}

// Triage decides whether a report is an incident and, if it is, its category, severity, the
// assets and systems concerned and whether it is restricted; the escalation checklist is drawn
// from the pack then. Only the pack's first recipients and holders of organisation-wide security
// roles triage. Whoever restricts an incident stays one of its handlers.
func (s *Service) Triage(ctx context.Context, who access.Actor, id int64, t TriageInput) (Incident, error) {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := mayTriage(p, who, in); err != nil {
			return err
		}
		before := in
		var v apperr.Validation
		checkText(&v, "note", &t.Note, maxText, false)
		if t.IsIncident {
			if len(p.Incident.Categories) > 0 || t.Category != "" {
				found := false
				for _, c := range p.Incident.Categories {
					found = found || c.ID == t.Category
				}
				if !found {
					v.Add("category", "incident.error.category", t.Category)
				}
			}
			if !contains(Severities, t.Severity) {
				v.Add("severity", "incident.error.severity")
			}
			if len(t.Routes) == 0 && len(p.Incident.Routes) > 0 {
				t.Routes = []string{p.Incident.Routes[0].ID}
			}
			for _, r := range t.Routes {
				found := false
				for _, pr := range p.Incident.Routes {
					found = found || pr.ID == r
				}
				if !found {
					v.Add("routes", "incident.error.route", r)
				}
			}
			for i := range t.Systems {
				checkText(&v, "systems", &t.Systems[i], 100, true)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if t.DepartmentID != 0 && t.DepartmentID != in.DepartmentID {
			if err := checkDepartment(ctx, tx, in.OrgID, t.DepartmentID); err != nil {
				return err
			}
			in.DepartmentID = t.DepartmentID
		}
		isInc := t.IsIncident
		in.IsIncident, in.TriagedAt, in.TriagedByID = &isInc, &now, who.StaffID
		if !t.IsIncident {
			in.State, in.ClosedAt = NotIncident, &now
		} else {
			in.State, in.Category, in.Severity, in.Routes, in.Systems, in.Restricted = Open, t.Category, t.Severity, t.Routes, nonNil(t.Systems), t.Restricted
			if err := s.relateAssets(ctx, tx, in, t.AssetIDs); err != nil {
				return err
			}
			in.AssetIDs = t.AssetIDs
		}
		if err := save(ctx, tx, &in, t.Version, now); err != nil {
			return err
		}
		if t.Restricted && who.StaffID != 0 {
			if err := addHandler(ctx, tx, in, who.StaffID, now); err != nil {
				return err
			}
		}
		if t.IsIncident {
			if err := storeChecklist(ctx, tx, p, in, buildChecklist(p, in)); err != nil {
				return err
			}
			if err := schedule(ctx, tx, p, in, now); err != nil {
				return err
			}
		}
		if _, err := addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "triaged", At: now, RecordedAt: now, Text: t.Note,
			Data: map[string]any{"is_incident": t.IsIncident, "category": in.Category, "severity": in.Severity, "restricted": in.Restricted}}); err != nil {
			return err
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.triage", Before: before, After: in}); err != nil {
			return err
		}
		return s.tellChecklist(ctx, tx, p, in, now)
	})
	if err != nil {
		return Incident{}, err
	}
	return s.Get(ctx, who, id)
}

// relateAssets records the assets an incident concerns; they must be the organisation's.
func (s *Service) relateAssets(ctx context.Context, tx *sql.Tx, in Incident, ids []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_assets WHERE incident_id = $1`, in.ID); err != nil {
		return apperr.Wrap(err, "incident assets")
	}
	seen := map[int64]bool{}
	for _, a := range ids {
		if seen[a] {
			continue
		}
		seen[a] = true
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE id = $1 AND org_id = $2`, a, in.OrgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "asset")
		}
		if n == 0 {
			return apperr.InvalidField("asset_ids", "incident.error.asset", a)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_assets (org_id, incident_id, asset_id) VALUES ($1, $2, $3)`, in.OrgID, in.ID, a); err != nil {
			return apperr.Wrap(err, "incident assets")
		}
	}
	return nil
}

// tellChecklist tells the holders of each contact who now owes reports with a deadline what they
// must report, to whom and by when; once per incident and contact.
func (s *Service) tellChecklist(ctx context.Context, tx *sql.Tx, p *policy.Compiled, in Incident, now time.Time) error {
	list, err := checklist(ctx, tx, in.ID, now)
	if err != nil {
		return err
	}
	owed := map[string][]string{}
	var order []string
	for _, n := range list {
		if n.State != "open" || n.DueAt == nil {
			continue
		}
		if _, ok := owed[n.From]; !ok {
			order = append(order, n.From)
		}
		owed[n.From] = append(owed[n.From], n.ToName+"（"+n.DueAt.In(jst).Format("01/02 15:04")+"まで）")
	}
	for _, from := range order {
		staff, err := contactHolders(ctx, tx, p, in, from, day(now))
		if err != nil {
			return err
		}
		if finderContact(p, from) && in.ReporterID != 0 {
			staff = append(staff, in.ReporterID)
		}
		err = tell(ctx, tx, in.OrgID, staff, NoticeToTell, "tell:"+from, in, now, text("notice.incident.to_tell", in.Title),
			text("notice.incident.to_tell_body", in.Title, strings.Join(owed[from], "、")))
		if err != nil {
			return err
		}
	}
	return nil
}
