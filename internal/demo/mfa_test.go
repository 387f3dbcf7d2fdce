package demo_test

import (
	"context"
	"slices"
	"testing"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDemoKeyHoldersEnrolMFA: the demo's CISO and other holders of the roles the pack names
// sign in as anyone does and are sent, after the password change, to MFA enrolment, like the
// administrator; the accounts printed at start say which ones.
func TestDemoKeyHoldersEnrolMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
		p, _ := s.Policy.Library.Get("kishiwada")
		first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ市", PackID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Load(ctx, s, first.Org.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		enrolling, plain := 0, 0
		for _, a := range res.Accounts {
			login, err := s.Auth.Login(ctx, a.Login, a.Password, auth.Client{RemoteAddr: "192.0.2.1"})
			if err != nil {
				t.Fatal(err)
			}
			_, who, err := s.Auth.Authenticate(ctx, login.Token, auth.Client{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Auth.ChangePassword(ctx, who, a.Password, "デモで使う長い合言葉です", "デモで使う長い合言葉です"); err != nil {
				t.Fatal(err)
			}
			sess, _, err := s.Auth.Authenticate(ctx, login.Token, auth.Client{})
			if err != nil {
				t.Fatal(err)
			}
			key := false
			for _, g := range who.Roles {
				key = key || slices.Contains(p.Auth.MFARoles, g.RoleID)
			}
			if sess.MustEnrolMFA != key || a.MFA != key {
				t.Errorf("%s (%s): must enrol %v, listed %v; holds a role that needs MFA: %v", a.Login, a.Role, sess.MustEnrolMFA, a.MFA, key)
			}
			if key {
				enrolling++
			} else {
				plain++
			}
		}
		if enrolling == 0 || plain == 0 {
			t.Fatalf("%d demo accounts must enrol, %d need not: the demo should show both", enrolling, plain)
		}
	})
}
