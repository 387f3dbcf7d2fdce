//go:build measure

// The measurement of docs/PERFORMANCE.md §22: built only with -tags measure, so that a plain go
// test neither runs nor skips it.

package directory_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"mamori/internal/app"
	"mamori/internal/apptest"
	"mamori/internal/auth"
	"mamori/internal/directory"
	"mamori/internal/directory/ldaptest"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasureSignIn times, on both engines with the production argon2id parameters, a local
// password sign-in beside an LDAP sign-in against slapd on 127.0.0.1 over LDAPS: the
// directory's part alone (connect, TLS, service bind, search, the person's bind, read) and the
// whole sign-in form's path (that, then the user, staff, department, roles and session in one
// transaction). Each series runs n times after one unmeasured warm-up.
func TestMeasureSignIn(t *testing.T) {
	srv := ldaptest.Start(t, "")
	cfg := srv.Config()
	const n = 40
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &apptest.Clock{T: apptest.Start}
		s := app.New(db, auth.DefaultParams, c.Now)
		first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: "kishiwada"})
		if err != nil {
			t.Fatal(err)
		}
		e := apptest.ForOrg(t, s, c, first.Org.ID, apptest.Options{Roles: func(policy.Role) bool { return false }})
		admin := e.Admin
		_, localPW, err := s.Auth.CreateUser(ctx, admin, auth.NewUser{Login: "local1", DisplayName: "ローカル"})
		if err != nil {
			t.Fatal(err)
		}
		client := auth.Client{RemoteAddr: "127.0.0.1"}
		series := func(name string, f func() error) {
			if err := f(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			d := make([]time.Duration, n)
			for i := range d {
				began := time.Now()
				if err := f(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				d[i] = time.Since(began)
			}
			slices.Sort(d)
			var sum time.Duration
			for _, x := range d {
				sum += x
			}
			t.Logf("%-8s %-44s n=%d median %6.1f ms  mean %6.1f ms  p90 %6.1f ms  min %6.1f ms", db.Engine, name, n,
				ms(d[n/2]), ms(sum/time.Duration(n)), ms(d[n*9/10]), ms(d[0]))
		}
		series("local argon2id sign-in (auth.Login)", func() error {
			_, err := s.Auth.Login(ctx, "local1", localPW, client)
			return err
		})
		if _, err := s.Directory.SaveSettings(ctx, admin, directory.SettingsInput{Enabled: true, DepartmentFrom: directory.DeptFromAttribute,
			DepartmentAttribute: "departmentNumber",
			Departments:         []directory.DepartmentRule{{Value: "総務課", DepartmentID: e.DeptA}, {Value: "税務課", DepartmentID: e.DeptB}},
			Groups:              []directory.GroupRule{{Group: "csirt", RoleID: "csirt_member", Scope: directory.ScopeOrganization}},
			BreakGlass:          []string{"local1"}}); err != nil {
			t.Fatal(err)
		}
		s.Directory.LDAP = &cfg
		series("LDAP bind and read alone (LDAPS)", func() error {
			_, err := cfg.Authenticate(ctx, "tanaka", "tanaka-pass", "departmentNumber")
			return err
		})
		series("LDAP sign-in, whole form path", func() error {
			_, err := s.Directory.Login(ctx, "tanaka", "tanaka-pass", client)
			return err
		})
		series("break-glass local sign-in, form path", func() error {
			_, err := s.Directory.Login(ctx, "local1", localPW, client)
			return err
		})
		fmt.Println()
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
