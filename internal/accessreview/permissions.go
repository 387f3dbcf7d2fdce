package accessreview

import (
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// One function per act. The act calls it and refuses with its error; the pages offer a button
// only when the same function allows it.

// MayOpen reports whether the actor may open a review of the given scope: the program, the
// 情報政策課 (an organisation-wide security role), a holder of an organisation-scoped role the
// pack names in opened_by, or — for a review of their own system — of a system-scoped one.
func MayOpen(p *policy.Compiled, who access.Actor, scope, system string) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "accessreview.error.may_not_open")
	}
	if who.IsSystem() || orgSecurity(p, who) {
		return nil
	}
	for _, g := range who.Roles {
		if g.AllStaff || !slices.Contains(p.AccessReview.OpenedBy, g.RoleID) {
			continue
		}
		if g.Scope == "organization" || (g.Scope == "system" && scope == ScopeSystem && g.SystemRef == system && system != "") {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "accessreview.error.may_not_open")
}

// MayOpenAny reports whether the actor may open some review (the pages offer the form).
func MayOpenAny(p *policy.Compiled, who access.Actor) bool {
	if MayOpen(p, who, ScopeDepartment, "") == nil {
		return true
	}
	for _, g := range who.Roles {
		if g.Scope == "system" && MayOpen(p, who, ScopeSystem, g.SystemRef) == nil {
			return true
		}
	}
	return false
}

// mayDecide: a reviewer of the item, while the review is open and the item not yet proved.
func mayDecide(who access.Actor, r Review, it Item) error {
	switch {
	case who.ReadOnly || !(reviews(who, r, it) || who.IsSystem()):
		return &apperr.Error{Code: apperr.Forbidden, Key: "accessreview.error.not_your_item", Args: []any{it.Login}}
	case r.State != StateOpen:
		return apperr.New(apperr.Conflict, "accessreview.error.closed")
	case it.ProofOn != "":
		return &apperr.Error{Code: apperr.Conflict, Key: "accessreview.error.already_proved", Args: []any{it.Login}}
	}
	return nil
}

// mayProve: a prover of the item (the system's administrator), a removal or change decided and
// not yet proved, while the review is open.
func mayProve(who access.Actor, r Review, it Item) error {
	switch {
	case who.ReadOnly || !(proves(who, r, it) || who.IsSystem()):
		return &apperr.Error{Code: apperr.Forbidden, Key: "accessreview.error.may_not_prove", Args: []any{it.Login}}
	case r.State != StateOpen:
		return apperr.New(apperr.Conflict, "accessreview.error.closed")
	case !it.needsProof():
		return &apperr.Error{Code: apperr.Conflict, Key: "accessreview.error.nothing_to_prove", Args: []any{it.Login}}
	case it.ProofOn != "":
		return &apperr.Error{Code: apperr.Conflict, Key: "accessreview.error.already_proved", Args: []any{it.Login}}
	}
	return nil
}

// mayCloseRole: who may close a review — its opener, or those who may open it.
func mayCloseRole(p *policy.Compiled, who access.Actor, r Review) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "accessreview.error.may_not_close")
	}
	if (r.OpenedByUser != 0 && r.OpenedByUser == who.UserID) || MayOpen(p, who, r.Scope, r.SystemRef) == nil {
		return nil
	}
	return apperr.New(apperr.Forbidden, "accessreview.error.may_not_close")
}

// mayClose: as mayCloseRole, the review open, every item decided and every removal or change
// proved.
func mayClose(p *policy.Compiled, who access.Actor, r Review) error {
	if err := mayCloseRole(p, who, r); err != nil {
		return err
	}
	switch {
	case r.State != StateOpen:
		return apperr.New(apperr.Conflict, "accessreview.error.closed")
	case r.Counts.Pending > 0:
		return &apperr.Error{Code: apperr.Conflict, Key: "accessreview.error.undecided", Args: []any{r.Counts.Pending}}
	case r.Counts.Awaiting > 0:
		return &apperr.Error{Code: apperr.Conflict, Key: "accessreview.error.unproved", Args: []any{r.Counts.Awaiting}}
	}
	return nil
}

// itemActs are what the pages offer on an item.
func itemActs(who access.Actor, r Review, it Item) ItemActs {
	return ItemActs{Decide: mayDecide(who, r, it) == nil, Prove: mayProve(who, r, it) == nil}
}
