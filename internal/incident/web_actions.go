package incident

import (
	"context"
	"database/sql"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Actions are what an actor may do with one incident, so that a page offers only those acts.
// Each answer is the check the act itself makes (reach.go, tick.go, respond.go, plan.go,
// publish.go, upward.go), asked in advance; the act still decides when it is made.
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
	a.Note = st >= reporter
	for _, n := range in.Checklist {
		a.Tick[n.ID] = st >= reporter && n.State == "open" && mayTell(p, who, in, n.From)
	}
	if st != handler {
		return a, nil
	}
	security := who.IsSystem() || orgSecurity(p, who)
	handled := in.State != Reported && in.State != NotIncident
	a.Respond = true
	a.Triage = in.State == Reported && (security || firstRecipient(p, who, in))
	for _, m := range p.Incident.Measures {
		a.Measures[m.ID] = m.DecidedBy == "" || who.IsSystem() || holdsRole(p, who, m.DecidedBy, in)
	}
	if pl := in.Plan; pl != nil {
		if !pl.Approved() {
			role := pl.Steps[len(pl.Approvals)]
			a.Approve = who.IsSystem() || (holdsRole(p, who, role, in) && who.StaffID != pl.DraftedBy)
		} else if pl.AnnouncedAt == nil && len(pl.Steps) > 0 {
			a.Announce = who.IsSystem() || holdsRole(p, who, pl.Steps[len(pl.Steps)-1], in)
		}
	}
	decider := ""
	if p.Incident.Publication != nil {
		decider = p.Incident.Publication.DecidedBy
	}
	a.Publish = handled && (who.IsSystem() || (decider != "" && holdsRole(p, who, decider, in)) || (decider == "" && orgSecurity(p, who)))
	a.AddHandler = security || (!in.Restricted && firstRecipient(p, who, in))
	if security && handled && in.UpwardOrgID == 0 {
		var parent sql.NullInt64
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT parent_id FROM organizations WHERE id = $1`, in.OrgID).Scan(&parent); err != nil {
			return a, apperr.Wrap(err, "parent organisation")
		}
		a.Upward = parent.Valid
	}
	return a, nil
}

// MaySeeContacts reports whether the actor may read the 緊急連絡網 (contacts.go).
func MaySeeContacts(who access.Actor) bool {
	return who.IsSystem() || who.PlatformAdmin || holdsAnyRole(who)
}

// Told is a first recipient of a report and the staff behind it, who were told of it.
type Told struct {
	Contact string   `json:"contact"`
	Names   []string `json:"names"`
}

// ToldOf returns who a report went to: the pack's first recipients over the incident and their
// holders today, as Report told them (recipientHolders).
func (s *Service) ToldOf(ctx context.Context, who access.Actor, id int64) ([]Told, error) {
	in, p, _, err := s.place(ctx, s.DB.SQL, who, id)
	if err != nil {
		return nil, err
	}
	var out []Told
	for _, c := range p.Incident.Recipients() {
		pc, _ := p.Contact(c)
		t := Told{Contact: pc.Name, Names: []string{}}
		ids, err := contactHolders(ctx, s.DB.SQL, p, in, c, day(s.now()))
		if err != nil {
			return nil, err
		}
		for _, sid := range ids {
			var name string
			if err := s.DB.SQL.QueryRowContext(ctx, `SELECT name FROM staff WHERE id = $1 AND org_id = $2`, sid, in.OrgID).Scan(&name); err != nil {
				return nil, apperr.Wrap(err, "staff")
			}
			t.Names = append(t.Names, name)
		}
		out = append(out, t)
	}
	return out, nil
}
