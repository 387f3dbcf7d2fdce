package request

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Actions are the acts an actor may take on a request now, as the services that do them would
// decide: the pages offer exactly these, so that a button is never shown for an act the
// service then refuses.
type Actions struct {
	Decide      bool   // approve, reject or send back the current step
	Capacity    string // the capacity a decision or acknowledgement is made in (holder, acting)
	Acknowledge bool   // receive a report after approval
	Resubmit    bool
	Cancel      bool
	TakeOut     bool
	Return      bool
	Dispose     bool
}

// Any reports whether there is any act to offer.
func (a Actions) Any() bool {
	return a.Decide || a.Acknowledge || a.Resubmit || a.Cancel || a.TakeOut || a.Return || a.Dispose
}

// ActionsFor returns what the actor may do with r, a request read by Get (with its events).
func (s *Service) ActionsFor(ctx context.Context, who access.Actor, r Request) (Actions, error) {
	var out Actions
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return out, err
	}
	keys, err := s.keysOf(ctx, s.DB.SQL, p, who)
	if err != nil {
		return out, err
	}
	kind, _ := approval(p, r.Kind)
	applicant := isApplicant(who, r)
	for _, w := range r.Waits {
		c, ok := keys[w.Key]
		if !ok {
			continue
		}
		switch {
		case w.Purpose == "decide" && r.State == Pending && (!applicant || kind.SelfApproval):
			if !approvedThisStep(r.Events, r.Step)[who.StaffID] || who.StaffID == 0 {
				out.Decide, out.Capacity = true, c
			}
		case w.Purpose == "notice":
			out.Acknowledge = true
			if out.Capacity == "" {
				out.Capacity = c
			}
		}
	}
	out.Resubmit = applicant && r.State == SentBack
	out.Cancel = applicant && (r.State == Pending || r.State == SentBack || r.State == Approved)
	if applicant || onRoute(keys, r) || officerOf(who, r) {
		out.TakeOut = kind.Returnable && r.State == Approved
		out.Return = r.State == TakenOut || r.State == Lent
		out.Dispose = kind.Effect == "dispose" && r.State == Approved
	}
	return out, nil
}

// Covers reports whether the pack's approval kind applies to an asset as the pack's conditions
// see it: the kind has no condition, or its condition holds. It is the test Submit makes of
// each subject asset, for pages that offer only the assets a kind may be filed for.
func Covers(p *policy.Compiled, kind string, rec policy.AssetRecord) bool {
	return covers(p, kind, rec)
}
