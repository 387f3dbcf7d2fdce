package demo_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestSignedInActorsCarryThePacksMarks: the grants of a signed-in user say what the
// organisation's pack says of each role — a security role, or the role all staff hold — since
// what they may see of the register's highest class follows from it.
func TestSignedInActorsCarryThePacksMarks(t *testing.T) {
	for _, packID := range []string{"koge", "yamagata"} {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			s, p, orgID := loadDemo(t, db, packID, nil)
			accounts, err := s.Auth.ListUsers(context.Background(), access.System(orgID, "test"))
			if err != nil {
				t.Fatal(err)
			}
			security := 0
			for _, u := range accounts {
				who, err := s.Auth.ActAs(context.Background(), u.Login)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range who.Roles {
					r, ok := p.Role(g.RoleID)
					if !ok {
						t.Fatalf("%s: %s holds %s, which the pack has not", packID, u.Login, g.RoleID)
					}
					if g.Security != r.Security || g.AllStaff != r.AllStaff || g.Auditor != r.Auditor {
						t.Errorf("%s: %s's grant of %s has security=%v all_staff=%v auditor=%v, the pack says %v, %v, %v",
							packID, u.Login, g.RoleID, g.Security, g.AllStaff, g.Auditor, r.Security, r.AllStaff, r.Auditor)
					}
					if g.Security {
						security++
					}
				}
			}
			if security == 0 {
				t.Errorf("%s: no demo account holds a security role", packID)
			}
		})
	}
}
