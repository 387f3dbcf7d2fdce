package main

import (
	"context"
	"fmt"
	"io"

	"mamori/internal/auth"
)

// createServiceAccount creates the login of an integration: no password, no staff record, the
// pack roles named with --role, tokens only (mamori token create).
func createServiceAccount(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("user create-service", stderr)
	login := fs.String("login", "", "login name")
	name := fs.String("name", "", "display name")
	admin := fs.Bool("admin", false, "platform administrator")
	var roles listFlag
	fs.Var(&roles, "role", "pack role id (repeatable)")
	deptCode := fs.String("department", "", "department code, for per-department roles")
	system := fs.String("system", "", "system, for per-system roles")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := firstOrgActor(ctx, s)
	if err != nil {
		return err
	}
	var dept int64
	if *deptCode != "" {
		if dept, err = departmentByCode(ctx, s.Org, sys, *deptCode); err != nil {
			return err
		}
	}
	in := auth.NewServiceAccount{Login: *login, DisplayName: *name, PlatformAdmin: *admin}
	for _, id := range roles {
		r := auth.ServiceRole{RoleID: id}
		if p, _, err := s.Policy.Active(ctx, sys.OrgID); err == nil {
			if pr, ok := p.Role(id); ok {
				r.Scope = pr.Scope
			}
		}
		switch r.Scope {
		case "department":
			r.DepartmentID = dept
		case "system":
			r.SystemRef = *system
		}
		in.Roles = append(in.Roles, r)
	}
	u, err := s.Auth.CreateServiceAccount(ctx, sys, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created service account %s (%s); issue its token with: mamori token create --user %s\n", u.Login, u.DisplayName, u.Login)
	return nil
}
