package demo

import (
	"mamori/internal/directory"
	"mamori/internal/policy"
)

// directory saves an example of the directory settings, not enabled: each department by the
// name Active Directory's department attribute would carry, a few of the pack's roles from
// groups, and the platform administrator as the break-glass account. A demo needs no directory;
// the page shows what an organisation would fill in.
func (b *builder) directory(p *policy.Compiled) error {
	tree, err := b.s.Org.Tree(b.ctx, b.sys)
	if err != nil {
		return err
	}
	in := directory.SettingsInput{DepartmentFrom: directory.DeptFromAttribute, DepartmentAttribute: "department",
		BreakGlass: []string{"admin"}}
	seen := map[string]bool{}
	for _, d := range tree {
		if seen[d.Name] {
			continue // a name twice in the tree: the directory could not tell them apart
		}
		seen[d.Name] = true
		in.Departments = append(in.Departments, directory.DepartmentRule{Value: d.Name, DepartmentID: d.ID})
	}
	orgRoles, deptRoles := 0, 0
	for _, r := range p.Roles {
		rule := directory.GroupRule{Group: "cn=mamori-" + r.ID + ",ou=groups,dc=example,dc=lg,dc=jp", RoleID: r.ID}
		switch {
		case r.Scope == "organization" && orgRoles < 2:
			rule.Scope = directory.ScopeOrganization
			orgRoles++
		case r.Scope == "department" && deptRoles < 1:
			rule.Scope = directory.ScopeOwnDepartment
			deptRoles++
		default:
			continue
		}
		in.Groups = append(in.Groups, rule)
	}
	_, err = b.s.Directory.SaveSettings(b.ctx, b.sys, in)
	return err
}
