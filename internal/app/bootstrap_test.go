package app_test

import (
	"sync"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var setup = app.Setup{OrgCode: "kishiwada", OrgName: "岸和田市", OrgKind: "municipality"}

func TestBootstrap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := app.New(db, cheap, clock)
		first, err := s.Bootstrap(ctx, setup)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("an empty database gets the organisation and its administrator", func(t *testing.T) {
			if !first.Created || first.Org.ID == 0 || first.Org.Code != "kishiwada" || first.Org.Name != "岸和田市" ||
				!first.Org.CreatedAt.Equal(now) || len(first.AdminPassword) != 19 {
				t.Fatalf("first start = %+v", first)
			}
			admin, err := s.Auth.UserByLogin(ctx, app.AdminLogin)
			if err != nil || !admin.PlatformAdmin || !admin.MustChangePassword || admin.OrgID != first.Org.ID || admin.Lang != "ja" {
				t.Fatalf("admin = %+v, %v", admin, err)
			}
		})

		t.Run("the administrator signs in with the one-time password and must change it and enrol", func(t *testing.T) {
			res, err := s.Auth.Login(ctx, "admin", first.AdminPassword, auth.Client{RemoteAddr: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			sess, who, err := s.Auth.Authenticate(ctx, res.Token, auth.Client{})
			if err != nil || !sess.MustChangePassword || !sess.MustEnrolMFA || !who.CanAdminister() || who.OrgID != first.Org.ID {
				t.Fatalf("session = %+v, actor = %+v, %v", sess, who, err)
			}
		})

		t.Run("a second start creates nothing", func(t *testing.T) {
			again, err := app.New(db, cheap, clock).Bootstrap(ctx, app.Setup{OrgCode: "other", OrgName: "別の市"})
			if err != nil {
				t.Fatal(err)
			}
			if again.Created || again.AdminPassword != "" || again.Org.ID != first.Org.ID || again.Org.Code != "kishiwada" {
				t.Fatalf("second start = %+v", again)
			}
			if n := count(t, db, `SELECT count(*) FROM organizations`); n != 1 {
				t.Fatalf("%d organisations", n)
			}
			if n := count(t, db, `SELECT count(*) FROM users`); n != 1 {
				t.Fatalf("%d users", n)
			}
			if _, err := s.Auth.Login(ctx, "admin", first.AdminPassword, auth.Client{}); err != nil {
				t.Fatalf("the first password no longer works: %v", err)
			}
		})

		t.Run("both creations are in the audit log", func(t *testing.T) {
			entries, total, err := s.Audit.List(ctx, access.System(first.Org.ID, "system"), auditlog.Filter{})
			if err != nil || total < 2 {
				t.Fatalf("%d entries, %v", total, err)
			}
			if e := entries[len(entries)-1]; e.Seq != 1 || e.Action != "organization.create" {
				t.Fatalf("first entry = %+v", e)
			}
			if e := entries[len(entries)-2]; e.Action != "user.create" || e.Actor != "system" {
				t.Fatalf("second entry = %+v", e)
			}
			if r, err := s.Audit.Verify(ctx, access.System(first.Org.ID, "system")); err != nil || !r.OK() {
				t.Fatalf("verify = %+v, %v", r, err)
			}
		})
	})
}

func TestBootstrapCompletesAnInterruptedStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := app.New(db, cheap, clock)
		// A start that stopped after creating the organisation.
		o, err := s.Org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "kishiwada", Name: "岸和田市"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Bootstrap(ctx, setup)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Created || got.Org.ID != o.ID || got.AdminPassword == "" {
			t.Fatalf("start = %+v", got)
		}
		if n := count(t, db, `SELECT count(*) FROM organizations`); n != 1 {
			t.Fatalf("%d organisations", n)
		}
	})
}

func TestBootstrapRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b := storetest.TwoHandles(t, db)
		const starters = 4
		results := make([]app.FirstStart, starters)
		errs := make([]error, starters)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range starters {
			h := []*store.DB{a, b}[i%2]
			s := app.New(h, cheap, clock) // each starter is its own process
			wg.Go(func() {
				<-start
				results[i], errs[i] = s.Bootstrap(ctx, setup)
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for i := range starters {
			if errs[i] != nil {
				t.Fatalf("starter %d: %v", i, errs[i])
			}
			if results[i].Created {
				created++
				if results[i].AdminPassword == "" {
					t.Errorf("starter %d created the admin without a password", i)
				}
			} else if results[i].AdminPassword != "" {
				t.Errorf("starter %d shows a password it did not create", i)
			}
			if results[i].Org.ID != results[0].Org.ID || results[i].Org.ID == 0 {
				t.Errorf("starter %d sees organisation %d, starter 0 sees %d", i, results[i].Org.ID, results[0].Org.ID)
			}
		}
		if created != 1 {
			t.Fatalf("%d starters report creating the administrator", created)
		}
		if n := count(t, a, `SELECT count(*) FROM organizations`); n != 1 {
			t.Fatalf("%d organisations", n)
		}
		if n := count(t, a, `SELECT count(*) FROM users WHERE platform_admin = TRUE`); n != 1 {
			t.Fatalf("%d administrators", n)
		}
		r, err := auditlog.Verify(ctx, b.SQL, results[0].Org.ID)
		if err != nil || !r.OK() {
			t.Fatalf("audit chain after the race: %+v, %v", r, err)
		}
	})
}
