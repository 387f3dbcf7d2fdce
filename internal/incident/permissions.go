package incident

import (
	"context"
	"database/sql"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// What an actor may do with an incident they see (their standing, reach.go). Each act asks one
// of the may… functions below before it changes anything, and ActionsFor asks the same ones of
// every act in advance: a page offers exactly the acts the service would carry out, and a rule
// changed here changes both.

// mayNote: the reporter and the handlers add notes and evidence.
func mayNote(st standing) error {
	if st < reporter {
		return apperr.New(apperr.Forbidden, "incident.error.not_handler")
	}
	return nil
}

// mayRespond: the handlers handle it (advance, root cause, plan, crime, custody); whoever
// only sees it is refused.
func mayRespond(st standing) error {
	if st != handler {
		return apperr.New(apperr.Forbidden, "incident.error.not_handler")
	}
	return nil
}

// mayTick: an open report of the checklist is recorded (made or skipped) by whoever must make
// it (mayTell), when they are its reporter or one of its handlers.
func mayTick(p *policy.Compiled, who access.Actor, in Incident, st standing, n ChecklistStep) error {
	if st < reporter {
		return forbidden("step", "incident.error.not_handler")
	}
	if !mayTell(p, who, in, n.From) {
		from, _ := p.Contact(n.From)
		return forbidden("step", "incident.error.not_teller", from.Name)
	}
	if n.State != "open" {
		return apperr.InvalidField("step", "incident.error.settled")
	}
	return nil
}

// mayTriage: a handler who is one of the pack's first recipients or holds an
// organisation-wide security role, of a report not yet triaged.
func mayTriage(p *policy.Compiled, who access.Actor, in Incident) error {
	if !who.IsSystem() && !firstRecipient(p, who, in) && !orgSecurity(p, who) {
		return forbidden("triage", "incident.error.not_recipient")
	}
	if in.State != Reported {
		return apperr.InvalidField("state", "incident.error.state", in.State)
	}
	return nil
}

// mayMeasure: a measure is decided by a holder of any of the roles the pack gives it
// (Measure.Deciders: decided_by, or one of its or), by any handler when the pack names none.
// It returns the role the actor takes it in: the first of those they hold.
func mayMeasure(p *policy.Compiled, who access.Actor, in Incident, m policy.Measure) (string, error) {
	roles := m.Deciders()
	if len(roles) == 0 || who.IsSystem() {
		return m.DecidedBy, nil
	}
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		if holdsRole(p, who, r, in) {
			return r, nil
		}
		names = append(names, p.RoleName(r))
	}
	return "", forbidden("measure", "incident.error.not_decider", m.Name, strings.Join(names, " / "))
}

// mayApprovePlan: the plan's next step is approved by a holder of its role who did not draft
// the plan. It returns that role.
func mayApprovePlan(p *policy.Compiled, who access.Actor, in Incident) (string, error) {
	if in.Plan == nil || in.Plan.Approved() {
		return "", apperr.InvalidField("plan", "incident.error.no_plan")
	}
	role := in.Plan.Steps[len(in.Plan.Approvals)]
	if !who.IsSystem() && (!holdsRole(p, who, role, in) || who.StaffID == in.Plan.DraftedBy) {
		return "", forbidden("plan", "incident.error.not_approver", p.RoleName(role))
	}
	return role, nil
}

// mayAnnounce: the approved plan is announced, once, by the holder of its last approving role.
func mayAnnounce(p *policy.Compiled, who access.Actor, in Incident) error {
	if !in.Plan.Approved() || in.Plan.AnnouncedAt != nil || len(in.Plan.Steps) == 0 {
		return apperr.InvalidField("plan", "incident.error.plan_not_approved")
	}
	last := in.Plan.Steps[len(in.Plan.Steps)-1]
	if !who.IsSystem() && !holdsRole(p, who, last, in) {
		return forbidden("plan", "incident.error.not_approver", p.RoleName(last))
	}
	return nil
}

// mayPublish: whether to publish a triaged incident is decided by the holder of the pack's
// deciding role (Publication.DecidedBy), or else of an organisation-wide security role.
func mayPublish(p *policy.Compiled, who access.Actor, in Incident) error {
	decider := ""
	if p.Incident.Publication != nil {
		decider = p.Incident.Publication.DecidedBy
	}
	if !who.IsSystem() && !(decider != "" && holdsRole(p, who, decider, in)) && !(decider == "" && orgSecurity(p, who)) {
		return forbidden("publish", "incident.error.not_publisher")
	}
	return triaged(in)
}

// mayAddHandler: handlers are named by the organisation-wide security roles, and, unless the
// incident is restricted, by the first recipients.
func mayAddHandler(p *policy.Compiled, who access.Actor, in Incident) error {
	if !who.IsSystem() && !orgSecurity(p, who) && (in.Restricted || !firstRecipient(p, who, in)) {
		return forbidden("staff_id", "incident.error.not_recipient")
	}
	return nil
}

// mayReportUpward: a holder of an organisation-wide security role reports a triaged incident,
// once, to the parent organisation, where there is one (hasParent).
func mayReportUpward(p *policy.Compiled, who access.Actor, in Incident, hasParent bool) error {
	if !who.IsSystem() && !orgSecurity(p, who) {
		return forbidden("upward", "incident.error.not_security")
	}
	if in.UpwardOrgID != 0 {
		return apperr.InvalidField("upward", "incident.error.already_upward")
	}
	if err := triaged(in); err != nil {
		return err
	}
	if !hasParent {
		return apperr.InvalidField("upward", "incident.error.no_parent")
	}
	return nil
}

// triaged refuses an act that needs an incident (a report judged to be one).
func triaged(in Incident) error {
	if in.State == Reported || in.State == NotIncident {
		return apperr.InvalidField("state", "incident.error.state", in.State)
	}
	return nil
}

// parentOf returns the organisation's parent, 0 when it has none.
func parentOf(ctx context.Context, q store.Querier, orgID int64) (int64, error) {
	var parent sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT parent_id FROM organizations WHERE id = $1`, orgID).Scan(&parent); err != nil {
		return 0, apperr.Wrap(err, "parent organisation")
	}
	return parent.Int64, nil
}

// Actions are what an actor may do with one incident, so that a page offers only those acts:
// each is the answer of the may… function the act itself asks.
type Actions struct {
	Note       bool            `json:"note"`        // add notes and evidence: the reporter and handlers
	Respond    bool            `json:"respond"`     // handle it: advance, root cause, plan, crime, custody
	Triage     bool            `json:"triage"`      // the first recipients and organisation-wide security roles, while reported
	Tick       map[int64]bool  `json:"tick"`        // the open lines of the checklist the actor records
	Measures   map[string]bool `json:"measures"`    // the pack's measures the actor decides
	Approve    bool            `json:"approve"`     // the plan's next step is the actor's
	Announce   bool            `json:"announce"`    // the approved plan waits for the actor to announce it
	Publish    bool            `json:"publish"`     // decides the publication
	Upward     bool            `json:"upward"`      // reports it to the parent organisation
	Support    bool            `json:"support"`     // a receiver of the parent organisation adds support
	AddHandler bool            `json:"add_handler"` // names handlers
}

// ActionsFor returns what the actor may do with the incident; an incident the actor does not
// see is not found.
func (s *Service) ActionsFor(ctx context.Context, who access.Actor, id int64) (Actions, error) {
	a := Actions{Tick: map[int64]bool{}, Measures: map[string]bool{}}
	in, p, st, err := s.place(ctx, s.DB.SQL, who, id)
	if apperr.CodeOf(err) == apperr.NotFound && !who.IsSystem() {
		if _, perr := s.asParent(ctx, s.DB.SQL, who, id); perr == nil {
			a.Support = true
			return a, nil
		}
	}
	if err != nil {
		return a, err
	}
	a.Note = mayNote(st) == nil
	for _, n := range in.Checklist {
		a.Tick[n.ID] = mayTick(p, who, in, st, n) == nil
	}
	if mayRespond(st) != nil {
		return a, nil
	}
	a.Respond = true
	a.Triage = mayTriage(p, who, in) == nil
	for _, m := range p.Incident.Measures {
		_, err := mayMeasure(p, who, in, m)
		a.Measures[m.ID] = err == nil
	}
	_, err = mayApprovePlan(p, who, in)
	a.Approve = err == nil
	a.Announce = mayAnnounce(p, who, in) == nil
	a.Publish = mayPublish(p, who, in) == nil
	a.AddHandler = mayAddHandler(p, who, in) == nil
	parent, err := parentOf(ctx, s.DB.SQL, in.OrgID)
	if err != nil {
		return a, err
	}
	a.Upward = mayReportUpward(p, who, in, parent != 0) == nil
	return a, nil
}
