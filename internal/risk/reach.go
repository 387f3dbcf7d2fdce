package risk

import (
	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// Who may read the register, decided here for every path that shows a risk (list, page,
// export, print, heat map, the audit log, the facts of a policy review):
//   - the program itself, holders of an organisation-wide security role (the 情報政策課, CISO,
//     CSIRT …) and auditors: every risk;
//   - the risk owner's department (its staff and the holders of its department-wide roles):
//     the risks it owns.
//
// Of a group holding assets of the highest class, a reader whose sight of the register hides
// some such asset's details (asset.Sight.HidesSome) is told the threat, the levels and the
// treatment, but not how many assets there are, where, or which rules they fail.
func readsAll(who access.Actor) bool {
	if who.IsSystem() || who.IsAuditor() {
		return true
	}
	return orgSecurity(who)
}

func orgSecurity(who access.Actor) bool {
	for _, g := range who.Roles {
		if g.Security && g.Scope == "organization" && !g.AllStaff {
			return true
		}
	}
	return false
}

// ownDepartments are the departments whose risks the actor reads as their owner.
func ownDepartments(who access.Actor) []int64 {
	var out []int64
	if who.DepartmentID != 0 {
		out = append(out, who.DepartmentID)
	}
	for _, g := range who.Roles {
		if g.Scope == "department" && g.DepartmentID != 0 && !g.AllStaff {
			out = append(out, g.DepartmentID)
		}
	}
	return out
}

// Reads reports whether the actor may read the risk.
func Reads(who access.Actor, r Risk) bool {
	if readsAll(who) {
		return true
	}
	for _, d := range ownDepartments(who) {
		if r.OwnerDepartmentID != 0 && d == r.OwnerDepartmentID {
			return true
		}
	}
	return false
}

// screen returns the risk as the actor may see it.
func screen(sight asset.Sight, r Risk) Risk {
	if r.Highest && sight.HidesSome() {
		r.Restricted = true
		r.AssetCount, r.Departments, r.OpenFindings, r.Failing, r.Controls = 0, nil, 0, nil, nil
	}
	return r
}

// CanList reports whether the register is shown to the actor at all (the nav link, the page).
func CanList(who access.Actor) bool { return readsAll(who) || len(ownDepartments(who)) > 0 }

// mayGenerate: the 情報政策課 — holders of an organisation-wide security role — and the program.
func mayGenerate(who access.Actor) error {
	if who.ReadOnly || !(who.IsSystem() || orgSecurity(who)) {
		return apperr.New(apperr.Forbidden, "risk.error.not_analyst")
	}
	return nil
}

// mayAssess: as mayGenerate; a retired risk is assessed no more.
func mayAssess(who access.Actor, r Risk) error {
	if err := mayGenerate(who); err != nil {
		return err
	}
	if r.State == StateRetired {
		return apperr.New(apperr.Conflict, "risk.error.retired")
	}
	return nil
}

// mayAccept: the holder (or acting holder) of the role the pack names (risk.accepted_by), of
// an assessed risk with a residual risk.
func mayAccept(who access.Actor, p *policy.Compiled, r Risk) error {
	if who.ReadOnly || !who.HasRole(p.Risk.AcceptedBy) {
		return apperr.New(apperr.Forbidden, "risk.error.not_acceptor")
	}
	if r.State != StateAssessed && r.State != StateAccepted {
		return apperr.New(apperr.Conflict, "risk.error.not_assessed")
	}
	return nil
}

// Actions are the acts the actor may do on a risk, for the pages' buttons.
type Actions struct {
	Assess bool `json:"assess"`
	Accept bool `json:"accept"`
}

// ActionsFor asks the same functions the acts call.
func ActionsFor(who access.Actor, p *policy.Compiled, r Risk) Actions {
	return Actions{Assess: mayAssess(who, r) == nil, Accept: p != nil && mayAccept(who, p, r) == nil}
}

// MayGenerate reports whether the actor may generate candidates (the page's button).
func MayGenerate(who access.Actor) bool { return mayGenerate(who) == nil }
