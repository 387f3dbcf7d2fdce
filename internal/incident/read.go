package incident

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Get returns an incident with its checklist, timeline, evidence (metadata, each with its chain
// of custody) and handlers, to those who see it (reach.go); to anyone else it is not found. The
// parent organisation's CSIRT gets an incident reported upward to it.
func (s *Service) Get(ctx context.Context, who access.Actor, id int64) (Incident, error) {
	in, _, _, err := s.place(ctx, s.DB.SQL, who, id)
	if apperr.CodeOf(err) == apperr.NotFound && !who.IsSystem() {
		in, err = s.asParent(ctx, s.DB.SQL, who, id)
		if err == nil {
			in.Checklist, err = checklist(ctx, s.DB.SQL, id, s.now())
		}
	}
	if err != nil {
		return Incident{}, err
	}
	if in.Timeline, err = events(ctx, s.DB.SQL, id); err != nil {
		return in, err
	}
	if in.Evidence, err = evidenceList(ctx, s.DB.SQL, `WHERE incident_id = $1`, id); err != nil {
		return in, err
	}
	for i := range in.Evidence {
		for _, e := range in.Timeline {
			if e.EvidenceID == in.Evidence[i].ID {
				in.Evidence[i].Custody = append(in.Evidence[i].Custody, e)
			}
		}
	}
	return in, nil
}

// Filter narrows a listing of incidents.
type Filter struct {
	State        string // a state, or "active" for every state before closed
	Category     string
	Severity     string
	Restricted   *bool
	DepartmentID int64 // where the incidents happened, or the department triage gave them
	Upward       bool  // the incidents organisations below reported to the actor's organisation
	Limit        int
	Offset       int
}

// scanLimit bounds how many incidents a listing reads to decide visibility one by one; an
// organisation records tens of incidents a year, not thousands.
const scanLimit = 5000

// List returns the incidents the actor sees, newest first, and how many there are.
func (s *Service) List(ctx context.Context, who access.Actor, f Filter) ([]Incident, int, error) {
	where := []string{"i.org_id = $1"}
	args := []any{who.OrgID}
	if f.Upward {
		where[0] = "i.upward_org_id = $1"
	}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch f.State {
	case "":
	case "active":
		where = append(where, "i.state NOT IN ('closed', 'not_incident')")
	default:
		where = append(where, "i.state = "+arg(f.State))
	}
	if f.Category != "" {
		where = append(where, "i.category = "+arg(f.Category))
	}
	if f.Severity != "" {
		where = append(where, "i.severity = "+arg(f.Severity))
	}
	if f.Restricted != nil {
		where = append(where, "i.restricted = "+arg(*f.Restricted))
	}
	if f.DepartmentID != 0 {
		where = append(where, "i.department_id = "+arg(f.DepartmentID))
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE `+strings.Join(where, " AND ")+
		` ORDER BY i.id DESC LIMIT `+strconv.Itoa(scanLimit), args...)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "incidents")
	}
	var all []Incident
	for rows.Next() {
		in, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, 0, apperr.Wrap(err, "incidents")
		}
		all = append(all, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, apperr.Wrap(err, "incidents")
	}
	seen, err := s.visible(ctx, who, all, f.Upward)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	total := len(seen)
	if f.Offset >= total {
		return []Incident{}, total, nil
	}
	return seen[f.Offset:min(total, f.Offset+f.Limit)], total, nil
}

// visible keeps the incidents the actor sees.
func (s *Service) visible(ctx context.Context, who access.Actor, list []Incident, upward bool) ([]Incident, error) {
	out := []Incident{}
	if len(list) == 0 {
		return out, nil
	}
	if upward {
		pp, err := s.Policy.Required(ctx, who.OrgID)
		if err != nil {
			return nil, err
		}
		if !receiver(pp, who) {
			return out, nil
		}
		return list, nil
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, in := range list {
		cl, err := checklist(ctx, s.DB.SQL, in.ID, now)
		if err != nil {
			return nil, err
		}
		hs, err := handlers(ctx, s.DB.SQL, in.ID)
		if err != nil {
			return nil, err
		}
		if standingOf(p, who, in, cl, hs) != none {
			out = append(out, in)
		}
	}
	return out, nil
}

// Overdue returns the open reports past their deadline on the checklists of the incidents the
// actor sees, the most overdue first.
func (s *Service) Overdue(ctx context.Context, who access.Actor) ([]ChecklistStep, error) {
	now := s.now()
	list, err := querySteps(ctx, s.DB.SQL, now, `WHERE n.org_id = $1 AND n.state = 'open' AND n.due_at < $2 ORDER BY n.due_at, n.id`, who.OrgID, now)
	if err != nil {
		return nil, err
	}
	ok := map[int64]bool{}
	out := []ChecklistStep{}
	for _, n := range list {
		seen, known := ok[n.IncidentID]
		if !known {
			_, _, _, err := s.place(ctx, s.DB.SQL, who, n.IncidentID)
			if err != nil && apperr.CodeOf(err) != apperr.NotFound {
				return nil, err
			}
			seen = err == nil
			ok[n.IncidentID] = seen
		}
		if seen {
			out = append(out, n)
		}
	}
	return out, nil
}

// Pack returns how the organisation's pack handles incidents: report items, categories, routes, measures.
func (s *Service) Pack(ctx context.Context, who access.Actor) (policy.Incident, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return policy.Incident{}, err
	}
	return p.Incident, nil
}
