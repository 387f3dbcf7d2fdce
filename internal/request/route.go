package request

import (
	"context"
	"slices"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// scope is where a request sits: the applicant's department, its subject's department and
// information system.
type scope struct {
	orgID                      int64
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
//
// A step any one of several deciders may decide (or: 山形県 6.1(1)④ 「情報セキュリティ管理者又は
// 情報システム管理者の承認」) keeps the alternatives that resolve — whose department or system is
// known — and is refused only when none of them has someone to decide it today: the asset of
// no system is decided by its department's manager alone. The refusal names what each
// alternative lacks. A step of one decider, or of joint deciders, needs every one resolved.
func (s *Service) resolve(ctx context.Context, q store.Querier, p *policy.Compiled, a policy.Approval, sc scope, applicant int64) (Route, error) {
	var rt Route
	for _, st := range a.Steps {
		step := Step{Joint: st.Joint(), Note: st.Note}
		alternatives := !step.Joint && len(st.Deciders()) > 1
		var missing apperr.Validation
		held := false
		for _, d := range st.Deciders() {
			k, err := keyOf(p, d.Role, d.Of, sc)
			if err != nil && alternatives {
				if e := apperr.As(err); e != nil && len(e.Fields) == 1 {
					missing.Add(e.Fields[0].Field, e.Fields[0].Key, e.Fields[0].Args...)
					continue
				}
			}
			if err != nil {
				return rt, err
			}
			if alternatives && !held {
				who, err := holdersOf(ctx, q, p, sc.orgID, k, s.today())
				if err != nil {
					return rt, err
				}
				if !a.SelfApproval {
					who = slices.DeleteFunc(who, func(id int64) bool { return id == applicant })
				}
				if held = len(who) > 0; !held {
					missing.Add("asset_ids", "request.error.no_holder", p.RoleName(d.Role))
				}
			}
			step.Deciders = append(step.Deciders, Decider{Role: d.Role, Of: d.Of, Key: k})
		}
		if alternatives && !held {
			return rt, missing.Err()
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
