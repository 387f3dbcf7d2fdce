package incident

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
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
// one query with their checklists and handlers in two more — only the columns the rule reads —
// and judged here; the few incidents and steps the desk shows are then read whole.

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
// Of the incident and its steps only what the rule reads is filled in (judgeColumns,
// judgeStepColumns), with the state and a step's deadline.
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
	var handling []int64
	for _, j := range list {
		if j.st == none {
			continue
		}
		if j.st == handler {
			out.HandlingTotal++
			if len(handling) < limit {
				handling = append(handling, j.in.ID)
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
	if out.Handling, err = s.whole(ctx, who.OrgID, handling); err != nil {
		return out, err
	}
	ids := make([]any, len(out.Steps))
	for i, n := range out.Steps {
		ids[i] = n.ID
	}
	if len(ids) > 0 {
		steps, err := querySteps(ctx, s.DB.SQL, s.now(), `WHERE n.id IN (`+marks(len(ids))+`)`, ids...)
		if err != nil {
			return out, err
		}
		at := map[int64]ChecklistStep{}
		for _, n := range steps {
			at[n.ID] = n
		}
		for i, n := range out.Steps {
			out.Steps[i] = at[n.ID]
		}
	}
	return out, nil
}

// whole reads the incidents of the given ids whole, in that order.
func (s *Service) whole(ctx context.Context, orgID int64, ids []int64) ([]Incident, error) {
	out := []Incident{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{orgID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE i.org_id = $1 AND i.id IN (`+marksFrom(2, len(ids))+`)`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	defer rows.Close()
	at := map[int64]Incident{}
	for rows.Next() {
		in, err := scan(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "incidents")
		}
		at[in.ID] = in
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	for _, id := range ids {
		if in, ok := at[id]; ok {
			out = append(out, in)
		}
	}
	return out, nil
}

// marks are the placeholders $1 … $n; marksFrom starts them at $first.
func marks(n int) string { return marksFrom(1, n) }

func marksFrom(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// judgeColumns are the columns of incidents i that standingOf and mayTick read, with the state.
const judgeColumns = `i.id, i.org_id, i.state, COALESCE(i.department_id, 0), COALESCE(i.reporter_staff_id, 0), i.systems_json, i.restricted`

// judgeStepColumns are the columns of checklist steps n that standingOf and mayTick read, with
// the deadline.
const judgeStepColumns = `n.id, n.incident_id, n.from_contact, n.to_contact, n.state, n.due_at`

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
// follow the organisation's, $2 …), newest first, then their checklists and handlers, and
// decides the actor's standing in each.
func (s *Service) judge(ctx context.Context, who access.Actor, p *policy.Compiled, cond string, args ...any) ([]judged, error) {
	args = append([]any{who.OrgID}, args...)
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+judgeColumns+` FROM incidents i WHERE i.org_id = $1 AND `+cond+
		` ORDER BY i.id DESC LIMIT `+strconv.Itoa(scanLimit), args...)
	if err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	var list []judged
	at := map[int64]int{}
	now := s.now()
	for rows.Next() {
		var in Incident
		var systems string
		if err := rows.Scan(&in.ID, &in.OrgID, &in.State, &in.DepartmentID, &in.ReporterID, &systems, &in.Restricted); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "incidents")
		}
		_ = json.Unmarshal([]byte(systems), &in.Systems)
		at[in.ID] = len(list)
		list = append(list, judged{in: in})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	handlers := map[int64][]int64{}
	if len(list) > 0 {
		// The checklists and handlers of the same incidents, chosen by the same condition: a
		// statement that stays the same from one desk to the next, where naming each incident's
		// key would make a new one to prepare each time.
		chosen := `SELECT i.id FROM incidents i WHERE i.org_id = $1 AND ` + cond + ` ORDER BY i.id DESC LIMIT ` + strconv.Itoa(scanLimit)
		srows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+judgeStepColumns+` FROM incident_checklist_steps n
			WHERE n.incident_id IN (`+chosen+`) ORDER BY n.incident_id, n.seq`, args...)
		if err != nil {
			return nil, apperr.Wrap(err, "incident checklist")
		}
		for srows.Next() {
			var n ChecklistStep
			var due sql.NullTime
			if err := srows.Scan(&n.ID, &n.IncidentID, &n.From, &n.To, &n.State, &due); err != nil {
				srows.Close()
				return nil, apperr.Wrap(err, "incident checklist")
			}
			n.DueAt = ptr(due)
			n.Overdue = n.State == "open" && n.DueAt != nil && n.DueAt.Before(now)
			if i, ok := at[n.IncidentID]; ok {
				list[i].steps = append(list[i].steps, n)
			}
		}
		srows.Close()
		if err := srows.Err(); err != nil {
			return nil, apperr.Wrap(err, "incident checklist")
		}
		hrows, err := s.DB.SQL.QueryContext(ctx, `SELECT incident_id, staff_id FROM incident_handlers WHERE incident_id IN (`+chosen+`)
			ORDER BY incident_id, staff_id`, args...)
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
