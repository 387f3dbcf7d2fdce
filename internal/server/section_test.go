package server

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
)

// section is a 住民課 of the started organisation on 上毛町's pack, for the browser tests that
// walk one workflow with a few people of their own.
type section struct {
	t    *testing.T
	s    *app.Services
	sys  access.Actor
	dept org.Department
}

// kogeSection puts the organisation of s on 上毛町's pack and gives it a 住民課.
func kogeSection(t *testing.T, s *app.Services) section {
	t.Helper()
	bg := context.Background()
	o, err := s.Org.First(bg)
	must(t, err)
	sys := access.System(o.ID, "test")
	_, err = s.Policy.Use(bg, sys, "koge")
	must(t, err)
	dept, err := s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: "200", Name: "住民課", Kind: "section", Active: true})
	must(t, err)
	return section{t: t, s: s, sys: sys, dept: dept}
}

// person adds a member of staff of the section with a login, holding role organisation-wide
// unless role is empty, and returns the one-time password.
func (c section) person(no, name, login, role string) string {
	c.t.Helper()
	bg := context.Background()
	st, err := c.s.Org.CreateStaff(bg, c.sys, org.StaffInput{DepartmentID: c.dept.ID, EmployeeNo: no, Name: name, Employment: "regular", Active: true})
	must(c.t, err)
	if role != "" {
		_, err = c.s.Org.AssignRole(bg, c.sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID})
		must(c.t, err)
	}
	_, temp, err := c.s.Auth.CreateUser(bg, c.sys, auth.NewUser{Login: login, DisplayName: name, StaffID: st.ID, Lang: "ja"})
	must(c.t, err)
	return temp
}
