package request

import (
	"context"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// scope is where a request sits: the applicant's department, its subject's department and
// information system.
type scope struct {
	applicantDept, subjectDept int64
	systemRef                  string
}

// keyOf names a role over the scope a step gives it. The role's own scope decides the form of
// the key (an assignment is made over the role's scope); the step's "of" chooses which
// department or system.
func keyOf(p *policy.Compiled, role, of string, sc scope) (string, error) {
	r, _ := p.Role(role)
	switch r.Scope {
	case "department":
		dept := sc.applicantDept
		if of == "subject_department" || (of != "applicant_department" && sc.subjectDept != 0) {
			dept = sc.subjectDept
		}
		if dept == 0 {
			return "", apperr.InvalidField("asset_ids", "request.error.no_department")
		}
		return deptKey(role, dept), nil
	case "system":
		if sc.systemRef == "" {
			return "", apperr.InvalidField("asset_ids", "request.error.no_system", p.RoleName(role))
		}
		return role + "@s:" + sc.systemRef, nil
	default:
		return role + "@org", nil
	}
}

func deptKey(role string, dept int64) string { return role + "@d:" + strconv.FormatInt(dept, 10) }

// resolve turns the kind's steps into the request's route.
func resolve(p *policy.Compiled, a policy.Approval, sc scope) (Route, error) {
	var rt Route
	for _, st := range a.Steps {
		step := Step{Joint: st.Joint(), Note: st.Note}
		for _, d := range st.Deciders() {
			k, err := keyOf(p, d.Role, d.Of, sc)
			if err != nil {
				return rt, err
			}
			step.Deciders = append(step.Deciders, Decider{Role: d.Role, Of: d.Of, Key: k})
		}
		rt.Steps = append(rt.Steps, step)
	}
	for _, n := range a.NotifyAfter {
		k, err := keyOf(p, n.Role, n.Of, sc)
		if err != nil {
			return rt, err
		}
		rt.Notices = append(rt.Notices, Decider{Role: n.Role, Of: n.Of, Key: k})
	}
	return rt, nil
}

// grantKey is the key of one of the actor's grants.
func grantKey(g access.Grant) string {
	switch g.Scope {
	case "department":
		return deptKey(g.RoleID, g.DepartmentID)
	case "system":
		return g.RoleID + "@s:" + g.SystemRef
	default:
		return g.RoleID + "@org"
	}
}

// keysOf returns the keys the actor may act for today and the capacity of each: their own
// grants (as holder, or as the acting holder an assignment names), and the roles the pack says
// they act for (Role.Acting) while those have no current holder.
func (s *Service) keysOf(ctx context.Context, q store.Querier, p *policy.Compiled, who access.Actor) (map[string]string, error) {
	keys := map[string]string{}
	for _, g := range who.Roles {
		k := grantKey(g)
		if g.Acting {
			if _, ok := keys[k]; !ok {
				keys[k] = AsActing
			}
			continue
		}
		keys[k] = AsHolder
	}
	day := s.today()
	for _, r := range p.Roles {
		for _, actingRole := range r.Acting {
			for _, g := range who.Roles {
				if g.RoleID != actingRole {
					continue
				}
				var k string
				var dept int64
				switch {
				case r.Scope == "organization":
					k = r.ID + "@org"
				case r.Scope == "department" && g.Scope == "department":
					k, dept = deptKey(r.ID, g.DepartmentID), g.DepartmentID
				default:
					continue
				}
				if _, ok := keys[k]; ok {
					continue
				}
				vacant, err := vacant(ctx, q, who.OrgID, r.ID, dept, day)
				if err != nil {
					return nil, err
				}
				if vacant {
					keys[k] = AsActing
				}
			}
		}
	}
	return keys, nil
}

// vacant reports whether a role (of a department, when dept is not 0) has no holder today.
func vacant(ctx context.Context, q store.Querier, orgID int64, role string, dept int64, day string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM role_assignments
		WHERE org_id = $1 AND role_id = $2 AND holder_staff_id IS NOT NULL AND ($3 = 0 OR department_id = $3)
		  AND (valid_from = '' OR valid_from <= $4) AND (valid_to = '' OR valid_to >= $4)`, orgID, role, dept, day).Scan(&n)
	if err != nil {
		return false, apperr.Wrap(err, "role holder")
	}
	return n == 0, nil
}
