package demo_test

import (
	"context"
	"slices"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/sysaccount"
)

// TestDemoSystemAccounts: every pack's demo has accounts of its systems of every kind; 岸和田市's
// has three systems, the ID of a member who left found as a leaver and that of a member who
// moved as a mover, with the 人事異動 rows that say so.
func TestDemoSystemAccounts(t *testing.T) {
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata"} {
		t.Run(id, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				s, _, orgID := loadDemo(t, db, id, nil)
				ctx := context.Background()
				list, err := s.SystemAccounts.All(ctx, access.System(orgID, "test"), sysaccount.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				kinds, systems, flags := map[string]int{}, map[string]bool{}, map[string]int{}
				for _, a := range list {
					kinds[a.Kind]++
					systems[a.SystemRef] = true
					for _, f := range a.Findings {
						flags[f]++
					}
					if a.Kind == sysaccount.KindPrivileged && (a.DeputyStaffID == 0 || a.PasswordChangedOn == "") {
						t.Errorf("privileged %s without deputy or password change", a.Login)
					}
				}
				for _, k := range sysaccount.Kinds {
					if kinds[k] == 0 {
						t.Errorf("no %s account: %v", k, kinds)
					}
				}
				if id != "kishiwada" {
					return
				}
				if len(systems) != 3 {
					t.Errorf("systems %v, want 3", systems)
				}
				if flags["account-owner-left"] != 1 || flags["account-owner-moved"] != 1 {
					t.Errorf("findings %v, want one leaver and one mover", flags)
				}
				var moves []string
				rows, err := db.SQL.QueryContext(ctx, `SELECT kind FROM staff_moves WHERE org_id = $1 ORDER BY kind`, orgID)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var k string
					if err := rows.Scan(&k); err != nil {
						t.Fatal(err)
					}
					moves = append(moves, k)
				}
				if !slices.Contains(moves, "leave") || !slices.Contains(moves, "transfer") {
					t.Errorf("moves %v", moves)
				}
			})
		})
	}
}
