package incident

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// What a person's home page (the desk) shows of incidents: the checklist steps that are theirs
// to make, the open incidents they handle, and — for the organisation's overview — the
// incidents of a period by state and the steps past their deadline. Every incident is judged by
// its own rule (standingOf, reach.go): a restricted incident counts only for those who see it.
// An organisation records tens of incidents a year, so the incidents in question are read in
// one query with their checklists and handlers in two more, and judged here.

// active is the condition on incidents i of those still being dealt with.
const active = "i.state NOT IN ('closed', 'not_incident')"

// Desk is what waits for one person among the open incidents.
type Desk struct {
	// Steps are the open checklist steps the actor must make (mayTick), the soonest deadline
	// first and those without one last, at most the limit asked; StepsTotal counts them all.
	Steps      []ChecklistStep `json:"steps"`
	StepsTotal int             `json:"steps_total"`
	// Handling are the open incidents the actor handles, newest first; HandlingTotal counts them.
	Handling      []Incident `json:"handling"`
	HandlingTotal int        `json:"handling_total"`
	// Overdue counts the open steps past their deadline on the open incidents the actor sees.
	Overdue int `json:"overdue"`
}

// judged is an incident read with its checklist and handlers, and the actor's standing in it.
type judged struct {
	in    Incident
	steps []ChecklistStep
	st    standing
}

// DeskOf returns what waits for the actor among the open incidents, lists cut at limit.
func (s *Service) DeskOf(ctx context.Context, who access.Actor, limit int) (Desk, error) {
	out := Desk{Steps: []ChecklistStep{}, Handling: []Incident{}}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	list, err := s.judge(ctx, who, p, active)
	if err != nil {
		return out, err
	}
	for _, j := range list {
		if j.st == none {
			continue
		}
		if j.st == handler {
			out.HandlingTotal++
			if len(out.Handling) < limit {
				out.Handling = append(out.Handling, j.in)
			}
		}
		for _, n := range j.steps {
			if n.State != "open" {
				continue
			}
			if n.Overdue {
				out.Overdue++
			}
			if mayTick(p, who, j.in, j.st, n) == nil {
				out.Steps = append(out.Steps, n)
			}
		}
	}
	slices.SortStableFunc(out.Steps, func(a, b ChecklistStep) int {
		switch {
		case a.DueAt == nil && b.DueAt == nil:
			return cmp.Compare(a.ID, b.ID)
		case a.DueAt == nil:
			return 1
		case b.DueAt == nil:
			return -1
		}
		return cmp.Or(a.DueAt.Compare(*b.DueAt), cmp.Compare(a.ID, b.ID))
	})
	out.StepsTotal = len(out.Steps)
	out.Steps = out.Steps[:min(len(out.Steps), limit)]
	return out, nil
}

// ByState counts the incidents the actor sees that were detected from since, by state. For a
// holder of an organisation-wide security role, who sees every incident, it is one aggregate
// query; anyone else's incidents are judged one by one.
func (s *Service) ByState(ctx context.Context, who access.Actor, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	if orgSecurity(p, who) {
		rows, err := s.DB.SQL.QueryContext(ctx, `SELECT state, count(*) FROM incidents WHERE org_id = $1 AND detected_at >= $2 GROUP BY state`,
			who.OrgID, since.UTC())
		if err != nil {
			return nil, apperr.Wrap(err, "incidents by state")
		}
		defer rows.Close()
		for rows.Next() {
			var st string
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return nil, apperr.Wrap(err, "incidents by state")
			}
			out[st] = n
		}
		return out, rows.Err()
	}
	list, err := s.judge(ctx, who, p, "i.detected_at >= $2", since.UTC())
	if err != nil {
		return nil, err
	}
	for _, j := range list {
		if j.st != none {
			out[j.in.State]++
		}
	}
	return out, nil
}

// judge reads the organisation's incidents that meet cond (on incidents i; its arguments
// follow the organisation's, $2 …), newest first, then their checklists and handlers by
// incident, and decides the actor's standing in each.
func (s *Service) judge(ctx context.Context, who access.Actor, p *policy.Compiled, cond string, args ...any) ([]judged, error) {
	args = append([]any{who.OrgID}, args...)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE i.org_id = $1 AND `+cond+
		` ORDER BY i.id DESC LIMIT `+strconv.Itoa(scanLimit), args...)
	if err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	var list []judged
	at := map[int64]int{}
	for rows.Next() {
		in, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "incidents")
		}
		at[in.ID] = len(list)
		list = append(list, judged{in: in})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	handlers := map[int64][]int64{}
	// The checklists and handlers of the incidents read, by their keys, a chunk at a time.
	for from := 0; from < len(list); from += 500 {
		chunk := list[from:min(from+500, len(list))]
		in := ""
		ids := make([]any, len(chunk))
		for i, j := range chunk {
			if i > 0 {
				in += ", "
			}
			ids[i] = j.in.ID
			in += "$" + strconv.Itoa(i+1)
		}
		steps, err := querySteps(ctx, s.DB.SQL, s.now(), `WHERE n.incident_id IN (`+in+`) ORDER BY n.incident_id, n.seq`, ids...)
		if err != nil {
			return nil, err
		}
		for _, n := range steps {
			if i, ok := at[n.IncidentID]; ok {
				list[i].steps = append(list[i].steps, n)
			}
		}
		hrows, err := s.DB.SQL.QueryContext(ctx, `SELECT incident_id, staff_id FROM incident_handlers WHERE incident_id IN (`+in+`)
			ORDER BY incident_id, staff_id`, ids...)
		if err != nil {
			return nil, apperr.Wrap(err, "incident handlers")
		}
		for hrows.Next() {
			var id, staff int64
			if err := hrows.Scan(&id, &staff); err != nil {
				hrows.Close()
				return nil, apperr.Wrap(err, "incident handlers")
			}
			handlers[id] = append(handlers[id], staff)
		}
		hrows.Close()
		if err := hrows.Err(); err != nil {
			return nil, apperr.Wrap(err, "incident handlers")
		}
	}
	for i := range list {
		list[i].st = standingOf(p, who, list[i].in, list[i].steps, handlers[list[i].in.ID])
	}
	return list, nil
}
