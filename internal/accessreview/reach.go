package accessreview

import (
	"slices"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/policy"
)

// Who reads a review, and which of its accounts — decided here for every path that shows one
// (the pages, the API, the export and the print, the audit log, the desk and the tasks).
//
//   - the program itself, holders of an organisation-wide security role (the 情報政策課, CISO,
//     統括 …) and auditors read every review in full;
//   - the one who opened a review reads it in full;
//   - the holder of a system-scoped role of the review's system (its 情報システム管理者) reads a
//     review of that system in full;
//   - a reviewer or prover — a holder of one of the review's reviewing or proving roles — reads
//     the review and the accounts that are theirs: of their department for a department role,
//     of their system for a system role, all of them for an organisation role.
//
// Nobody else: to them a review is not found.

// grantRole is one reviewing or proving role of a review with its scope ("role:scope").
type grantRole struct{ role, scope string }

func parseRoles(list []string) []grantRole {
	out := make([]grantRole, 0, len(list))
	for _, v := range list {
		r, sc, _ := strings.Cut(v, ":")
		out = append(out, grantRole{r, sc})
	}
	return out
}

// rolesOf freezes the pack's roles with their scopes, as a review keeps them.
func rolesOf(p *policy.Compiled, ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if r, ok := p.Role(id); ok {
			out = append(out, id+":"+r.Scope)
		}
	}
	return out
}

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

// seesAll reports whether the actor reads every review in full.
func seesAll(p *policy.Compiled, who access.Actor) bool {
	return who.IsSystem() || orgSecurity(p, who) || who.IsAuditor()
}

// full reports whether the actor reads every item of the review.
func full(p *policy.Compiled, who access.Actor, r Review) bool {
	if seesAll(p, who) || (r.OpenedByUser != 0 && r.OpenedByUser == who.UserID) {
		return true
	}
	if r.Scope == ScopeSystem {
		for _, g := range who.Roles {
			if g.Scope == "system" && !g.AllStaff && g.SystemRef == r.SystemRef {
				return true
			}
		}
	}
	return false
}

// holds reports whether the actor holds one of roles for the item: a department role of its
// department, a system role of its system, or an organisation role.
func holds(who access.Actor, roles []grantRole, dept int64, system string) bool {
	for _, g := range who.Roles {
		if g.AllStaff {
			continue
		}
		for _, r := range roles {
			if g.RoleID != r.role {
				continue
			}
			switch r.scope {
			case "department":
				if g.DepartmentID != 0 && g.DepartmentID == dept {
					return true
				}
			case "system":
				if g.SystemRef != "" && g.SystemRef == system {
					return true
				}
			default:
				return true
			}
		}
	}
	return false
}

// reviews reports whether the actor decides the item.
func reviews(who access.Actor, r Review, it Item) bool {
	return holds(who, parseRoles(r.ReviewerRoles), it.DepartmentID, it.SystemRef)
}

// proves reports whether the actor records the proof of the item's removal or change.
func proves(who access.Actor, r Review, it Item) bool {
	return holds(who, parseRoles(r.ProofRoles), it.DepartmentID, it.SystemRef)
}

// mineWhere is the SQL condition (over items i joined to their review r) for the items the
// actor reviews (or proves, with proof), its arguments numbered from n; "" when there are none.
func mineWhere(who access.Actor, n int, proof bool) (string, []any) {
	col := "r.reviewer_roles"
	if proof {
		col = "r.proof_roles"
	}
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(n+len(args)-1)
	}
	seen := map[string]bool{}
	for _, g := range who.Roles {
		if g.AllStaff {
			continue
		}
		var c string
		switch g.Scope {
		case "department":
			if g.DepartmentID == 0 {
				continue
			}
			key := "d" + g.RoleID + strconv.FormatInt(g.DepartmentID, 10)
			if seen[key] {
				continue
			}
			seen[key] = true
			c = "(" + col + " LIKE " + arg("%,"+g.RoleID+":department,%") + " AND i.department_id = " + arg(g.DepartmentID) + ")"
		case "system":
			if g.SystemRef == "" {
				continue
			}
			key := "s" + g.RoleID + g.SystemRef
			if seen[key] {
				continue
			}
			seen[key] = true
			c = "(" + col + " LIKE " + arg("%,"+g.RoleID+":system,%") + " AND i.system_ref = " + arg(g.SystemRef) + ")"
		default:
			key := "o" + g.RoleID
			if seen[key] {
				continue
			}
			seen[key] = true
			c = "(" + col + " LIKE " + arg("%,"+g.RoleID+":organization,%") + ")"
		}
		conds = append(conds, c)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// reviewWhere is the SQL condition (over reviews r) for the reviews the actor reads, numbered
// from n; all is true when the actor reads every review.
func reviewWhere(p *policy.Compiled, who access.Actor, n int) (cond string, args []any, all bool) {
	if seesAll(p, who) {
		return "", nil, true
	}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(n+len(args)-1)
	}
	conds := []string{"r.opened_by_user = " + arg(who.UserID)}
	var systems []string
	for _, g := range who.Roles {
		if g.Scope == "system" && !g.AllStaff && g.SystemRef != "" && !slices.Contains(systems, g.SystemRef) {
			systems = append(systems, g.SystemRef)
			conds = append(conds, "(r.scope = 'system' AND r.system_ref = "+arg(g.SystemRef)+")")
		}
	}
	for _, proof := range []bool{false, true} {
		if c, a := mineWhere(who, n+len(args), proof); c != "" {
			args = append(args, a...)
			conds = append(conds, "EXISTS (SELECT 1 FROM access_review_items i WHERE i.review_id = r.id AND "+c+")")
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, false
}

// seesItem reports whether the actor reads the item: those who read the review in full, its
// reviewers and provers. To anyone else an item is not found.
func seesItem(p *policy.Compiled, who access.Actor, r Review, it Item) bool {
	return full(p, who, r) || reviews(who, r, it) || proves(who, r, it)
}

// Reviews reports whether the actor decides the item (for callers that choose who acts).
func Reviews(who access.Actor, r Review, it Item) bool { return reviews(who, r, it) }

// Proves reports whether the actor records the proof of the item's removal or change.
func Proves(who access.Actor, r Review, it Item) bool { return proves(who, r, it) }
