package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// Every demo organisation shows an example directory mapping, not enabled: its departments by
// name, some of its pack's roles from groups, the administrator kept as break-glass.
func TestDemoDirectorySettings(t *testing.T) {
	for _, pack := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(pack, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
				p, _ := s.Policy.Library.Get(pack)
				first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ", PackID: p.ID})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := demo.Load(ctx, s, first.Org.ID, p); err != nil {
					t.Fatal(err)
				}
				st, err := s.Directory.Settings(ctx, access.System(first.Org.ID, "t"))
				if err != nil {
					t.Fatal(err)
				}
				if st.Enabled || len(st.Departments) < 3 || len(st.Groups) < 2 || len(st.BreakGlass) != 1 || st.Version != 1 {
					t.Fatalf("demo settings %+v", st)
				}
			})
		})
	}
}
