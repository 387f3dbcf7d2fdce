package directory_test

import (
	"encoding/json"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/directory"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var client = auth.Client{RemoteAddr: "192.0.2.10", UserAgent: "test"}

func tanaka(dept string, groups ...string) directory.Identity {
	return directory.Identity{Source: directory.SourceLDAP, Subject: "uid=tanaka,ou=総務課,dc=example,dc=jp", Login: "tanaka",
		Name: "田中 一郎", Email: "tanaka@example.jp", EmployeeNo: "D1001", Department: dept, Groups: groups}
}

func TestSignInProvisionsUserStaffAndRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.configure(t, true)
		res, err := e.dir.SignIn(ctx, e.Org, tanaka("総務課", "CN=sec-officers,OU=groups,DC=example,DC=jp"), client)
		if err != nil {
			t.Fatal(err)
		}
		u := res.User
		if u.Source != directory.SourceLDAP || u.StaffID == 0 || u.Login != "tanaka" {
			t.Fatalf("user %+v", u)
		}
		sess, who, err := e.S.Auth.Authenticate(ctx, res.Token, client)
		if err != nil {
			t.Fatal(err)
		}
		if who.DepartmentID != e.DeptA || !who.HasRole("security_officer") {
			t.Fatalf("actor %+v", who)
		}
		// security_officer is one of 岸和田市's MFA roles and a bind asserts no second factor:
		// Mamori asks for its own (enrolment first).
		if !sess.MustEnrolMFA || sess.Ready() {
			t.Fatalf("session %+v: MFA not asked for", sess)
		}
		if n := e.count(t, `SELECT count(*) FROM users WHERE id = $1 AND password_hash = ''`, u.ID); n != 1 {
			t.Fatal("a directory user has a password")
		}
		// No local password sign-in for a directory user.
		if _, err := e.S.Auth.Login(ctx, "tanaka", "", client); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("local login: %v", err)
		}

		// A hand-made assignment of the same person is never touched.
		if _, err := e.S.Org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "csirt_member", Scope: "organization", HolderStaffID: u.StaffID}); err != nil {
			t.Fatal(err)
		}
		// Moved to 税務課 and out of the group, the next day.
		e.Clock.T = e.Clock.T.Add(24 * time.Hour)
		res, err = e.dir.SignIn(ctx, e.Org, tanaka("税務課", "csirt"), client)
		if err != nil {
			t.Fatal(err)
		}
		_, who, err = e.S.Auth.Authenticate(ctx, res.Token, client)
		if err != nil {
			t.Fatal(err)
		}
		if who.DepartmentID != e.DeptB || who.HasRole("security_officer") || !who.HasRole("csirt_member") {
			t.Fatalf("after the move: %+v", who)
		}
		if n := e.count(t, `SELECT count(*) FROM staff_moves WHERE staff_id = $1 AND source = 'directory' AND kind = 'transfer'
			AND from_department_id = $2 AND to_department_id = $3`, u.StaffID, e.DeptA, e.DeptB); n != 1 {
			t.Fatalf("%d moves recorded", n)
		}
		if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE holder_staff_id = $1 AND source = 'manual' AND valid_to = ''`, u.StaffID); n != 1 {
			t.Fatal("the hand-made assignment changed")
		}
		if n := e.count(t, `SELECT count(*) FROM role_assignments WHERE holder_staff_id = $1 AND source = 'directory'`, u.StaffID); n != 2 {
			t.Fatalf("%d directory assignments, want the ended one and the new one", n)
		}
		if n := e.count(t, `SELECT count(*) FROM users WHERE login = 'tanaka'`); n != 1 {
			t.Fatal("a second user for the same identity")
		}
		e.VerifyAudit()
	})
}

func TestSignInLinksStaffByEmployeeNumberAndHonoursAssertedMFA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.configure(t, true)
		st, err := e.S.Org.CreateStaff(ctx, e.Admin, org.StaffInput{DepartmentID: e.DeptA, EmployeeNo: "D1001", Name: "田中 一郎", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		id := tanaka("総務課", "sec-officers")
		id.Source, id.MFA = directory.SourceOIDC, true
		res, err := e.dir.SignIn(ctx, e.Org, id, client)
		if err != nil {
			t.Fatal(err)
		}
		if res.User.StaffID != st.ID {
			t.Fatalf("linked to staff %d, want %d", res.User.StaffID, st.ID)
		}
		sess, who, err := e.S.Auth.Authenticate(ctx, res.Token, client)
		if err != nil {
			t.Fatal(err)
		}
		if !who.HasRole("security_officer") || sess.MustEnrolMFA || !sess.Ready() {
			t.Fatalf("asserted MFA not honoured: %+v %+v", sess, who)
		}
		if n := e.count(t, `SELECT count(*) FROM staff_moves`); n != 0 {
			t.Fatal("a move recorded without a change of department")
		}
	})
}

func TestSignInRefusesUnmappedDisabledAndOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// Off: refused.
		if _, err := e.dir.SignIn(ctx, e.Org, tanaka("総務課"), client); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("sign-in while off: %v", err)
		}
		e.configure(t, true)
		users := e.count(t, `SELECT count(*) FROM users`)
		staff := e.count(t, `SELECT count(*) FROM staff`)
		if _, err := e.dir.SignIn(ctx, e.Org, tanaka("企画課", "csirt"), client); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("unmapped department: %v", err)
		}
		if e.count(t, `SELECT count(*) FROM users`) != users || e.count(t, `SELECT count(*) FROM staff`) != staff {
			t.Fatal("a refused sign-in created a user or staff record")
		}
		res, err := e.dir.SignIn(ctx, e.Org, tanaka("総務課"), client)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = $1`, res.User.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.dir.SignIn(ctx, e.Org, tanaka("税務課", "csirt"), client); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("disabled user: %v", err)
		}
		if n := e.count(t, `SELECT count(*) FROM staff_moves`); n != 0 {
			t.Fatal("a refused sign-in moved the staff record")
		}
		reasons := map[string]bool{}
		for _, en := range e.entries(t, "auth.login_failed") {
			var m struct{ Reason string }
			if err := json.Unmarshal([]byte(en.After), &m); err == nil {
				reasons[m.Reason] = true
			}
		}
		for _, r := range []string{directory.RefusedNotEnabled, directory.RefusedNoDepartment, directory.RefusedDisabled} {
			if !reasons[r] {
				t.Errorf("no audit entry with reason %s (have %v)", r, reasons)
			}
		}
		e.VerifyAudit()
	})
}

func TestLocalSignInOnlyForBreakGlassWhenDirectoryIsOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, clerkPW, err := e.S.Auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "clerk", DisplayName: "職員"})
		if err != nil {
			t.Fatal(err)
		}
		_, keeperPW, err := e.S.Auth.CreateUser(ctx, e.admin, auth.NewUser{Login: "keeper", DisplayName: "緊急用管理者"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Auth.Login(ctx, "clerk", clerkPW, client); err != nil {
			t.Fatalf("local sign-in while the directory is off: %v", err)
		}
		e.configure(t, true, "keeper")
		if _, err := e.S.Auth.Login(ctx, "clerk", clerkPW, client); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("a local user not break-glass signed in: %v", err)
		}
		if _, err := e.S.Auth.Login(ctx, "keeper", keeperPW, client); err != nil {
			t.Fatalf("break-glass sign-in: %v", err)
		}
		bg := e.entries(t, "auth.break_glass")
		if len(bg) != 1 || bg[0].Actor != "keeper" {
			t.Fatalf("break-glass entries %+v", bg)
		}
		e.VerifyAudit()
	})
}
