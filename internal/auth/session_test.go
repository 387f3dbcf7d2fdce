package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.activeUser(t, "tanaka")

		t.Run("authenticate resolves the session to its actor", func(t *testing.T) {
			token, _ := e.signIn(t, "tanaka", password)
			other := client
			other.RemoteAddr = "198.51.100.4"
			sess, who, err := e.auth.Authenticate(ctx, token, other)
			if err != nil {
				t.Fatal(err)
			}
			if !sess.Ready() || sess.UserID != u.ID || sess.ID == 0 || !sess.ExpiresAt.Equal(e.clock.Now().Add(12*time.Hour)) {
				t.Fatalf("session = %+v", sess)
			}
			if who.UserID != u.ID || who.OrgID != e.orgID || who.Login != "tanaka" || who.SessionID != sess.ID ||
				who.RemoteAddr != "198.51.100.4" || who.ViaToken || who.PlatformAdmin {
				t.Fatalf("actor = %+v", who)
			}
		})

		t.Run("unknown or malformed tokens are refused", func(t *testing.T) {
			token, _ := e.signIn(t, "tanaka", password)
			for _, bad := range []string{"", "nonsense", token + "x", strings.Repeat("a", 101), strings.ToUpper(token)} {
				_, _, err := e.auth.Authenticate(ctx, bad, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
		})

		t.Run("an idle session expires and activity keeps it alive", func(t *testing.T) {
			token, _ := e.signIn(t, "tanaka", password)
			for range 3 {
				e.clock.Advance(29 * time.Minute)
				if _, _, err := e.auth.Authenticate(ctx, token, client); err != nil {
					t.Fatalf("active session refused: %v", err)
				}
			}
			e.clock.Advance(31 * time.Minute)
			_, _, err := e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
			// The refused session is gone, not merely refused this once.
			e.clock.Advance(-30 * time.Minute)
			_, _, err = e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
			e.clock.Advance(30 * time.Minute)
		})

		t.Run("the idle timeout is configurable", func(t *testing.T) {
			token, _ := e.signIn(t, "tanaka", password)
			strict := service(e.db, e.clock)
			strict.IdleTimeout = 5 * time.Minute
			e.clock.Advance(6 * time.Minute)
			_, _, err := strict.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("a session ends after the absolute timeout however active", func(t *testing.T) {
			token, _ := e.signIn(t, "tanaka", password)
			for elapsed := 20 * time.Minute; elapsed <= 12*time.Hour; elapsed += 20 * time.Minute {
				e.clock.Advance(20 * time.Minute)
				if _, _, err := e.auth.Authenticate(ctx, token, client); err != nil {
					t.Fatalf("refused after %v: %v", elapsed, err)
				}
			}
			e.clock.Advance(time.Minute)
			_, _, err := e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("logout ends one session", func(t *testing.T) {
			a, who := e.signIn(t, "tanaka", password)
			b, _ := e.signIn(t, "tanaka", password)
			if err := e.auth.Logout(ctx, who); err != nil {
				t.Fatal(err)
			}
			_, _, err := e.auth.Authenticate(ctx, a, client)
			wantCode(t, err, apperr.Unauthenticated)
			if _, _, err := e.auth.Authenticate(ctx, b, client); err != nil {
				t.Fatalf("the other session ended too: %v", err)
			}
		})

		t.Run("logout cannot end another user's session", func(t *testing.T) {
			e.activeUser(t, "suzuki")
			victim, _ := e.signIn(t, "suzuki", password)
			victimSess, _, _ := e.auth.Authenticate(ctx, victim, client)
			_, who := e.signIn(t, "tanaka", password)
			who.SessionID = victimSess.ID
			if err := e.auth.Logout(ctx, who); err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.auth.Authenticate(ctx, victim, client); err != nil {
				t.Fatalf("another user's session was ended: %v", err)
			}
		})

		t.Run("logout everywhere ends every session", func(t *testing.T) {
			a, who := e.signIn(t, "tanaka", password)
			b, _ := e.signIn(t, "tanaka", password)
			before := e.count(t, `SELECT count(*) FROM sessions WHERE user_id = $1`, u.ID)
			n, err := e.auth.LogoutEverywhere(ctx, who, false)
			if err != nil || n != int64(before) || n < 2 {
				t.Fatalf("ended %d of %d, %v", n, before, err)
			}
			for _, token := range []string{a, b} {
				_, _, err := e.auth.Authenticate(ctx, token, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
			all := e.entries(t, "auth.logout_all")
			if len(all) != 1 || all[0].ActorUserID != u.ID {
				t.Fatalf("audit = %+v", all)
			}
			wantClient(t, all[0])
		})

		t.Run("a disabled user's session is refused", func(t *testing.T) {
			victim := e.activeUser(t, "yamada")
			token, _ := e.signIn(t, "yamada", password)
			if err := e.auth.SetDisabled(ctx, e.admin, victim.ID, true); err != nil {
				t.Fatal(err)
			}
			_, _, err := e.auth.Authenticate(ctx, token, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("a session of an account disabled or locked behind the service's back is refused", func(t *testing.T) {
			for login, set := range map[string]string{"kobayashi": `disabled = TRUE`, "kato": `locked_at = created_at`} {
				victim := e.activeUser(t, login)
				token, _ := e.signIn(t, login, password)
				e.exec(t, `UPDATE users SET `+set+` WHERE id = $1`, victim.ID)
				_, _, err := e.auth.Authenticate(ctx, token, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
		})

		e.verifyChain(t)
	})
}

func TestSessionsAreSharedBetweenProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b := storetest.TwoHandles(t, db)
		e := newEnv(t, a)
		e.activeUser(t, "tanaka")
		token, _ := e.signIn(t, "tanaka", password)
		other := service(b, e.clock)
		sess, who, err := other.Authenticate(ctx, token, client)
		if err != nil || !sess.Ready() || who.Login != "tanaka" {
			t.Fatalf("second process: %+v, %+v, %v", sess, who, err)
		}
		// A logout through the second process is seen by the first.
		if err := other.Logout(ctx, who); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.auth.Authenticate(ctx, token, client)
		wantCode(t, err, apperr.Unauthenticated)
		e.verifyChain(t)
	})
}

// An auditor is whoever holds a role the pack marks auditor: true, whatever the role's id.
func TestAuditorsAreTheHoldersOfMarkedRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.auth.RoleMarks = func(context.Context, int64) (map[string]access.RoleMarks, error) {
			return map[string]access.RoleMarks{"inspector": {Auditor: true}, "audit_x": {Security: true}}, nil
		}
		dept, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			login, role string
			auditor     bool
		}{{"kensa", "inspector", true}, {"kansax", "audit_x", false}, {"somu", "clerk", false}} {
			st, err := e.org.CreateStaff(ctx, e.admin, org.StaffInput{DepartmentID: dept.ID, EmployeeNo: fmt.Sprint(2001 + i), Name: "職員 " + c.login, Employment: "regular"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: c.role, Scope: "organization", HolderStaffID: st.ID, ValidFrom: "2026-01-01"}); err != nil {
				t.Fatal(err)
			}
			_, temp, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: c.login, DisplayName: "職員 " + c.login, StaffID: st.ID})
			if err != nil {
				t.Fatal(err)
			}
			_, who := e.signIn(t, c.login, temp)
			if len(who.Roles) != 1 || who.Roles[0].Auditor != c.auditor || who.IsAuditor() != c.auditor || who.CanReadAuditLog() != c.auditor {
				t.Errorf("%s holding %s: auditor %v, reads the audit log %v, want %v (roles %+v)", c.login, c.role, who.IsAuditor(), who.CanReadAuditLog(), c.auditor, who.Roles)
			}
		}
	})
}

func TestActorRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		dept, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		st, err := e.org.CreateStaff(ctx, e.admin, org.StaffInput{DepartmentID: dept.ID, EmployeeNo: "1001", Name: "監査 花子", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		// The appointment starts on 1 April in Japan, which begins at 15:00 UTC on 31 March.
		if _, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "auditor", Scope: "organization",
			HolderStaffID: st.ID, ValidFrom: "2026-04-01"}); err != nil {
			t.Fatal(err)
		}
		u, temp, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "kansa", DisplayName: "監査 花子", StaffID: st.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Set(time.Date(2026, 3, 31, 14, 50, 0, 0, time.UTC)) // 23:50 JST, 31 March
		_, who := e.signIn(t, "kansa", temp)
		if who.StaffID != st.ID || who.DepartmentID != dept.ID || who.UserID != u.ID || who.CanReadAuditLog() {
			t.Fatalf("on 31 March: %+v", who)
		}
		e.clock.Advance(20 * time.Minute) // 00:10 JST, 1 April
		_, who = e.signIn(t, "kansa", temp)
		if !who.CanReadAuditLog() || len(who.Roles) != 1 || who.Roles[0] != (access.Grant{RoleID: "auditor", Scope: "organization", Auditor: true}) {
			t.Fatalf("on 1 April: %+v", who.Roles)
		}
	})
}
