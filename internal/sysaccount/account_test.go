package sysaccount_test

import (
	"slices"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/sysaccount"
)

// TestReadRule: the system's 情報システム管理者 reads its accounts only; the ネットワーク管理者, the
// CISO and the auditor read all; a 所属長 reads those of their department's staff; a person reads
// their own; and the audit log withholds the rest.
func TestReadRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s := e.S.SystemAccounts
		sysAdmin, net := e.Holder("system_admin@s:SYS1"), e.Holder("network_admin@org")
		alice, bob := e.Person("会計 花子", e.DeptA), e.Person("税務 太郎", e.DeptB)
		a1, err := s.Create(ctx, sysAdmin, sysaccount.Input{SystemRef: "SYS1", Login: "alice", Kind: "personal", OwnerStaffID: alice.StaffID})
		if err != nil {
			t.Fatal(err)
		}
		b2, err := s.Create(ctx, net, sysaccount.Input{SystemRef: "SYS2", Login: "bob", Kind: "personal", OwnerStaffID: bob.StaffID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Create(ctx, sysAdmin, sysaccount.Input{SystemRef: "SYS2", Login: "x", Kind: "personal"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("the administrator of SYS1 records an account of SYS2: %v", err)
		}
		if _, err := s.Create(ctx, alice, sysaccount.Input{SystemRef: "SYS1", Login: "y", Kind: "personal"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk records an account: %v", err)
		}
		check := func(name string, got []sysaccount.Account, want ...string) {
			t.Helper()
			var logins []string
			for _, a := range got {
				logins = append(logins, a.Login)
			}
			if !slices.Equal(logins, want) {
				t.Errorf("%s reads %v, want %v", name, logins, want)
			}
		}
		for _, c := range []struct {
			name string
			key  string
			want []string
		}{
			{"system admin", "system_admin@s:SYS1", []string{"alice"}},
			{"network admin", "network_admin@org", []string{"alice", "bob"}},
			{"ciso", "ciso@org", []string{"alice", "bob"}},
			{"auditor", "audit_chief@org", []string{"alice", "bob"}},
			{"head of B", "security_manager@d:" + itoa(e.DeptB), []string{"bob"}},
		} {
			page, err := s.List(ctx, e.Holder(c.key), sysaccount.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			check(c.name, page.Accounts, c.want...)
		}
		page, err := s.List(ctx, alice, sysaccount.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		check("alice", page.Accounts, "alice")
		if _, err := s.Get(ctx, alice, b2.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("alice reads bob's account: %v", err)
		}
		entries, _, err := e.S.Audit.List(ctx, e.Admin, auditlog.Filter{Entity: "system_account", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		ok, err := s.AuditReadable(ctx, sysAdmin, entries)
		if err != nil {
			t.Fatal(err)
		}
		for i, en := range entries {
			if want := en.EntityID == itoa(a1.ID); ok[i] != want {
				t.Errorf("system admin reads entry about %s: %v, want %v", en.EntityID, ok[i], want)
			}
		}
		e.VerifyAudit()
	})
}

// TestBadInput: an unknown system, an unknown kind, a login already in the system and an owner
// who is not on the staff are refused, naming the field, and nothing is written.
func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s, net := e.S.SystemAccounts, e.Holder("network_admin@org")
		if _, err := s.Create(ctx, net, sysaccount.Input{SystemRef: "SYS1", Login: "dup", Kind: "shared", ResponsibleName: "課長"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			in    sysaccount.Input
			field string
		}{
			{sysaccount.Input{SystemRef: "NOPE", Login: "a", Kind: "personal"}, "system_ref"},
			{sysaccount.Input{SystemRef: "SYS1", Login: "a", Kind: "superuser"}, "kind"},
			{sysaccount.Input{SystemRef: "SYS1", Login: "dup", Kind: "personal"}, "login"},
			{sysaccount.Input{SystemRef: "SYS1", Login: "a", Kind: "personal", OwnerStaffID: 99999}, "owner_staff_id"},
			{sysaccount.Input{SystemRef: "SYS1", Login: "a", Kind: "personal", GrantedOn: "2026-13-01"}, "granted_on"},
		} {
			_, err := s.Create(ctx, net, c.in)
			wantField(t, err, c.field)
		}
		var n int
		if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM system_accounts`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d accounts, %v", n, err)
		}
	})
}

// TestFindingsAndRemoval: an ID whose owner left is a leaver, one whose owner moved after the
// grant a mover, a privileged ID's password change is recorded only by the roles the pack names
// or the person named to act for them, and a removal keeps the account with who removed it.
func TestFindingsAndRemoval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s, sysAdmin, net := e.S.SystemAccounts, e.Holder("system_admin@s:SYS1"), e.Holder("network_admin@org")
		today := e.Clock.T.Format(time.DateOnly)
		old := e.Clock.T.AddDate(-1, 0, 0).Format(time.DateOnly)
		leaver, mover, deputy := e.Person("退職 一郎", e.DeptA), e.Person("異動 二郎", e.DeptA), e.Person("代行 三郎", e.DeptA)
		mk := func(login, kind string, owner int64) sysaccount.Account {
			a, err := s.Create(ctx, net, sysaccount.Input{SystemRef: "SYS1", Login: login, Kind: kind, OwnerStaffID: owner,
				GrantedOn: old, LastLoginOn: today, PasswordChangedOn: today})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		l, m := mk("leaver", "personal", leaver.StaffID), mk("mover", "personal", mover.StaffID)
		orphan := mk("orphan", "personal", 0)
		if !slices.Contains(orphan.Findings, "personal-account-without-owner") {
			t.Errorf("orphan findings %v", orphan.Findings)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE staff SET active = FALSE, left_on = $1 WHERE id = $2`, today, leaver.StaffID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO staff_moves (org_id, staff_id, kind, effective_on, created_at)
			VALUES ($1, $2, 'transfer', $3, $4)`, e.Org, mover.StaffID, today, e.Clock.T); err != nil {
			t.Fatal(err)
		}
		res, err := s.Sweep(ctx, e.Admin)
		if err != nil || res.Changed != 2 {
			t.Fatalf("sweep %+v %v", res, err)
		}
		for _, c := range []struct {
			id   int64
			flag string
		}{{l.ID, "account-owner-left"}, {m.ID, "account-owner-moved"}} {
			got, err := s.Get(ctx, sysAdmin, c.id)
			if err != nil || !slices.Equal(got.Findings, []string{c.flag}) {
				t.Errorf("findings %v %v, want %s", got.Findings, err, c.flag)
			}
		}
		page, err := s.List(ctx, sysAdmin, sysaccount.Filter{Flag: "account-owner-left"})
		if err != nil || len(page.Accounts) != 1 || page.Accounts[0].ID != l.ID {
			t.Fatalf("flag filter %+v %v", page, err)
		}
		if again, err := s.Sweep(ctx, e.Admin); err != nil || again.Changed != 0 {
			t.Errorf("second sweep %+v %v", again, err)
		}

		priv, err := s.Create(ctx, net, sysaccount.Input{SystemRef: "SYS1", Login: "root", Kind: "privileged", OwnerStaffID: net.StaffID,
			DeputyStaffID: deputy.StaffID, PasswordChangedOn: old, LastLoginOn: today})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Create(ctx, sysAdmin, sysaccount.Input{SystemRef: "SYS1", Login: "root2", Kind: "privileged", OwnerStaffID: sysAdmin.StaffID,
			DeputyStaffID: deputy.StaffID}); err != nil {
			t.Errorf("the system's administrator (a password role of 岸和田市) names a deputy: %v", err)
		}
		if _, err := s.RecordPassword(ctx, mover, priv.ID, today); apperr.CodeOf(err) != apperr.Forbidden && apperr.CodeOf(err) != apperr.NotFound {
			t.Error("a clerk records a privileged password change")
		}
		if got, err := s.RecordPassword(ctx, e.Actor(deputy), priv.ID, today); err != nil || got.PasswordChangedOn != today {
			t.Errorf("the deputy records the change: %+v %v", got, err)
		}

		gone, err := s.Remove(ctx, sysAdmin, l.ID, today, "退職により抹消")
		if err != nil {
			t.Fatal(err)
		}
		if gone.State != sysaccount.StateRemoved || gone.RemovedOn != today || gone.RemovedByName == "" || len(gone.Findings) != 0 {
			t.Errorf("removed %+v", gone)
		}
		if _, err := s.Remove(ctx, sysAdmin, l.ID, today, ""); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("removed twice: %v", err)
		}
		removed, err := s.List(ctx, sysAdmin, sysaccount.Filter{State: "removed"})
		if err != nil || len(removed.Accounts) != 1 {
			t.Errorf("removed list %+v %v", removed, err)
		}
		e.VerifyAudit()
	})
}
