package incident

import (
	"context"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Who sees an incident, and what they may do with it.
//
// An incident is seen by
//   - the program itself (the system actor);
//   - its reporter (for an outside report, the staff member who received and recorded it);
//   - the staff named as its handlers;
//   - holders of an organisation-wide security role (marked security by the pack: CISO,
//     統括情報セキュリティ責任者, CSIRT …);
//   - and, unless it is restricted: holders of a department-wide security role of the incident's
//     department (its 情報セキュリティ管理者 …); holders of the roles of the pack's first recipients
//     and of every contact on its checklist who is to tell or be told (上毛町's ネットワーク管理者,
//     山形県's 情報主管課長 — for a department role, of the incident's department; for a system
//     role, of one of its systems, or any when none is named yet); and auditors, who read only.
//   - When it was reported upward, the holders of the parent organisation's receiving roles
//     (the pack's member_reports_to, else its organisation-wide security roles), who read it and
//     add support to its timeline.
//
// A restricted incident (an insider case) is therefore seen by its reporter, its named handlers
// and the organisation-wide security roles only: the department's own officers and the
// non-security roles of the route may be the people concerned. Those who restrict it add the
// handlers it needs. Platform administrators run the system, not the policy: they see no
// incident unless they also hold one of these places. To anyone else an incident is not found.

// standing is an actor's place in one incident.
type standing int

const (
	none     standing = iota
	reader            // auditors: read only
	reporter          // the reporter: reads, adds notes and evidence
	handler           // handles it
)

// isSecurity reports whether a grant is of a security role: marked so on the grant or by the
// pack. The role every member of staff holds is never one.
func isSecurity(p *policy.Compiled, g access.Grant) bool {
	if g.AllStaff {
		return false
	}
	r, ok := p.Role(g.RoleID)
	return g.Security || (ok && r.Security && !r.AllStaff)
}

// orgSecurity reports whether the actor holds an organisation-wide security role.
func orgSecurity(p *policy.Compiled, who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Scope == "organization" && isSecurity(p, g) {
			return true
		}
	}
	return false
}

// holdsRole reports whether the actor holds role over the incident: a department role of its
// department, a system role of one of its systems (any while none is named), any other role.
// The role every member of staff holds counts for nothing.
func holdsRole(p *policy.Compiled, who access.Actor, role string, in Incident) bool {
	if role == "" {
		return false
	}
	if r, ok := p.Role(role); !ok || r.AllStaff {
		return false
	}
	for _, g := range who.Roles {
		if g.RoleID != role || g.AllStaff {
			continue
		}
		switch g.Scope {
		case "department":
			if g.DepartmentID == in.DepartmentID {
				return true
			}
		case "system":
			if len(in.Systems) == 0 || slices.Contains(in.Systems, g.SystemRef) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// holdsContact reports whether the actor holds the role of a pack contact over the incident.
func holdsContact(p *policy.Compiled, who access.Actor, contact string, in Incident) bool {
	c, ok := p.Contact(contact)
	return ok && holdsRole(p, who, c.Role, in)
}

// firstRecipient reports whether the actor is one of the pack's first recipients of the incident
// (who triage it).
func firstRecipient(p *policy.Compiled, who access.Actor, in Incident) bool {
	for _, c := range p.Incident.Recipients() {
		if holdsContact(p, who, c, in) {
			return true
		}
	}
	return false
}

// standingOf returns the actor's place in an incident of their own organisation. checklist are
// the incident's checklist steps and handlers its named handlers.
func standingOf(p *policy.Compiled, who access.Actor, in Incident, checklist []ChecklistStep, handlers []int64) standing {
	switch {
	case who.IsSystem():
		return handler
	case who.OrgID != in.OrgID:
		return none
	case who.StaffID != 0 && slices.Contains(handlers, who.StaffID):
		return handler
	case orgSecurity(p, who):
		return handler
	}
	if !in.Restricted {
		for _, g := range who.Roles {
			if g.Scope == "department" && g.DepartmentID == in.DepartmentID && isSecurity(p, g) {
				return handler
			}
		}
		if firstRecipient(p, who, in) {
			return handler
		}
		for _, n := range checklist {
			if holdsContact(p, who, n.From, in) || holdsContact(p, who, n.To, in) {
				return handler
			}
		}
	}
	if who.StaffID != 0 && who.StaffID == in.ReporterID {
		return reporter
	}
	if !in.Restricted && who.IsAuditor() {
		return reader
	}
	return none
}

// place loads what deciding the actor's standing needs and returns it with the incident; an
// incident the actor may not see is not found.
func (s *Service) place(ctx context.Context, q store.Querier, who access.Actor, id int64) (Incident, *policy.Compiled, standing, error) {
	in, err := read(ctx, q, who.OrgID, id)
	if err != nil {
		return in, nil, none, err
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return in, nil, none, err
	}
	list, err := checklist(ctx, q, id, s.now())
	if err != nil {
		return in, nil, none, err
	}
	hs, err := handlers(ctx, q, id)
	if err != nil {
		return in, nil, none, err
	}
	st := standingOf(p, who, in, list, hs)
	if st == none {
		return in, nil, none, apperr.New(apperr.NotFound, "error.not_found")
	}
	in.Checklist, in.Handlers = list, hs
	return in, p, st, nil
}

// mustHandle returns the incident to an actor who handles it; one who only sees it is refused.
func (s *Service) mustHandle(ctx context.Context, q store.Querier, who access.Actor, id int64) (Incident, *policy.Compiled, error) {
	in, p, st, err := s.place(ctx, q, who, id)
	if err != nil {
		return in, p, err
	}
	return in, p, mayRespond(st)
}

func handlers(ctx context.Context, q store.Querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT staff_id FROM incident_handlers WHERE incident_id = $1 ORDER BY staff_id`, id)
	if err != nil {
		return nil, apperr.Wrap(err, "incident handlers")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var h int64
		if err := rows.Scan(&h); err != nil {
			return nil, apperr.Wrap(err, "incident handlers")
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// forbidden refuses an act, naming the field it concerns.
func forbidden(field, key string, args ...any) error {
	return &apperr.Error{Code: apperr.Forbidden, Key: key, Args: args, Fields: []apperr.FieldError{{Field: field, Key: key, Args: args}}}
}
