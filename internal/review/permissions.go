package review

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Who may do what with a review and a procedure. Each act asks one of the may… functions below
// before it changes anything, and ActionsFor asks the same ones in advance, so a page offers
// exactly the acts the service carries out.
//
// A review is read by the holders of an organisation-wide security role (the 情報政策課: CISO,
// 統括情報セキュリティ責任者, CSIRT …), the holders of the roles the pack names to decide it
// (委員会, 本部, 最高情報統括責任者 …) and the auditors. To anyone else it is not found.

// orgSecurity reports whether the actor holds an organisation-wide security role: marked so on
// the grant or by the pack. The role every member of staff holds is never one.
func orgSecurity(p *policy.Compiled, who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Scope != "organization" || g.AllStaff {
			continue
		}
		r, ok := p.Role(g.RoleID)
		if g.Security || (ok && r.Security && !r.AllStaff) {
			return true
		}
	}
	return false
}

// decider reports whether the actor holds one of the roles that decide the review's proposals.
func decider(p *policy.Compiled, who access.Actor) bool {
	for _, r := range p.ReviewDeciders() {
		if who.HasRole(r) {
			return true
		}
	}
	return false
}

// mayRead: the organisation-wide security roles, the deciders, the auditors, and the program.
func mayRead(p *policy.Compiled, who access.Actor) bool {
	return who.IsSystem() || orgSecurity(p, who) || decider(p, who) || who.IsAuditor()
}

func forbidden(key string) error { return apperr.New(apperr.Forbidden, key) }

// mayOpen: the 情報政策課 opens a fiscal year's review.
func mayOpen(p *policy.Compiled, who access.Actor) error {
	if who.ReadOnly {
		return forbidden("error.forbidden")
	}
	if !who.IsSystem() && !orgSecurity(p, who) {
		return forbidden("review.error.not_policy_office")
	}
	return nil
}

// mayPropose: the 情報政策課 records or changes proposals while the review is open.
func mayPropose(p *policy.Compiled, who access.Actor, r Review) error {
	if err := mayOpen(p, who); err != nil {
		return err
	}
	if r.State != Open {
		return apperr.InvalidField("state", "review.error.not_open")
	}
	return nil
}

// maySubmit: the 情報政策課 lays an open review with at least one proposal before the deciders.
func maySubmit(p *policy.Compiled, who access.Actor, r Review) error {
	if err := mayPropose(p, who, r); err != nil {
		return err
	}
	if len(r.Proposals) == 0 {
		return apperr.InvalidField("proposals", "review.error.no_proposals")
	}
	return nil
}

// mayDecide: a holder of a deciding role decides an undecided proposal of a submitted review.
func mayDecide(p *policy.Compiled, who access.Actor, r Review, pr Proposal) error {
	if who.ReadOnly {
		return forbidden("error.forbidden")
	}
	if !who.IsSystem() && !decider(p, who) {
		return forbidden("review.error.not_decider")
	}
	if r.State != Submitted {
		return apperr.InvalidField("state", "review.error.not_submitted")
	}
	if pr.Decision != "" {
		return apperr.InvalidField("decision", "review.error.decided")
	}
	return nil
}

// mayLink: the 情報政策課 links an approved amendment or addition, not yet linked, to the pack
// version now active, once that is another version than the one reviewed.
func mayLink(p *policy.Compiled, who access.Actor, r Review, pr Proposal, activeDigest string) error {
	if err := mayOpen(p, who); err != nil {
		return err
	}
	if pr.Decision != Approved || !pr.Changes() {
		return apperr.InvalidField("proposal", "review.error.not_approved_change")
	}
	if pr.NewPackDigest != "" {
		return apperr.InvalidField("proposal", "review.error.linked")
	}
	if activeDigest == r.PackDigest {
		return apperr.InvalidField("pack", "review.error.same_pack")
	}
	return nil
}

// Actions are the acts an actor may take on a review now.
type Actions struct {
	Propose bool    `json:"propose"`
	Submit  bool    `json:"submit"`
	Decide  bool    `json:"decide"`
	Link    []int64 `json:"link,omitempty"` // the proposals the actor may link to the active pack
}

func actionsFor(p *policy.Compiled, who access.Actor, r Review, activeDigest string) Actions {
	a := Actions{Propose: mayPropose(p, who, r) == nil, Submit: maySubmit(p, who, r) == nil}
	for _, pr := range r.Proposals {
		if mayDecide(p, who, r, pr) == nil {
			a.Decide = true
		}
		if mayLink(p, who, r, pr, activeDigest) == nil {
			a.Link = append(a.Link, pr.ID)
		}
	}
	return a
}

// MayLinkProposal reports whether the proposal is one the actions allow to be linked.
func (a Actions) MayLinkProposal(id int64) bool { return slices.Contains(a.Link, id) }
