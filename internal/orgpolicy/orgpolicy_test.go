package orgpolicy_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const ownPack = `id: koge-strict
name: 上毛町（厳格運用）
organization: テスト町
kind: municipality
version: "2"
extends: koge
auth:
  lockout_after_failures: 4
  password_min_length: 16
  mfa_roles: [ciso]
  mfa_cite: {article: "運用規程"}
  unlock: after
  unlock_after_minutes: 45
  unlock_cite: {article: "運用規程"}
  cite: {article: "運用規程"}
`

func TestBindingAppliesThePacksLoginRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
		first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト町", PackID: "kishiwada"})
		if err != nil {
			t.Fatal(err)
		}
		admin := access.System(first.Org.ID, "test")
		t.Run("first start binds the pack and its lockout", func(t *testing.T) {
			p, b, err := s.Policy.Active(ctx, first.Org.ID)
			if err != nil || p.ID != "kishiwada" || b.Own {
				t.Fatalf("active = %v %+v %v", p, b, err)
			}
			o, _ := s.Org.Organization(ctx, first.Org.ID)
			if o.LockoutAfterFailures != 3 {
				t.Fatalf("lockout = %d, want 岸和田市's 3", o.LockoutAfterFailures)
			}
		})
		t.Run("an invalid pack changes nothing", func(t *testing.T) {
			_, err := s.Policy.Load(ctx, admin, "bad.yaml", []byte("id: bad\nname: x\norganization: x\nkind: municipality\nversion: \"1\"\nextends: nowhere\n"))
			if _, ok := err.(*orgpolicy.InvalidPack); !ok {
				t.Fatalf("err = %v", err)
			}
			if p, _, _ := s.Policy.Active(ctx, first.Org.ID); p.ID != "kishiwada" {
				t.Fatalf("active became %s", p.ID)
			}
		})
		t.Run("a regular user may not change the pack", func(t *testing.T) {
			clerk := access.Actor{OrgID: first.Org.ID, UserID: 99, Login: "clerk"}
			if _, err := s.Policy.Use(ctx, clerk, "koge"); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("an own pack's password length and MFA roles bind the users", func(t *testing.T) {
			if _, err := s.Policy.Load(ctx, admin, "strict.yaml", []byte(ownPack)); err != nil {
				t.Fatal(err)
			}
			p, b, err := s.Policy.Active(ctx, first.Org.ID)
			if err != nil || p.ID != "koge-strict" || !b.Own || !p.Inherited["roles/ciso"] {
				t.Fatalf("active = %+v %v", b, err)
			}
			var unlockAfter int
			if err := db.SQL.QueryRowContext(ctx, `SELECT unlock_after_minutes FROM organizations WHERE id = $1`, first.Org.ID).Scan(&unlockAfter); err != nil || unlockAfter != 45 {
				t.Fatalf("unlock after %d minutes, %v; want the pack's 45", unlockAfter, err)
			}
			st, err := s.Org.CreateStaff(ctx, admin, org.StaffInput{EmployeeNo: "1", Name: "山本 和夫", Employment: "regular"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Org.AssignRole(ctx, admin, org.RoleAssignment{RoleID: "ciso", Scope: "organization", HolderStaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Org.AssignRole(ctx, admin, org.RoleAssignment{RoleID: "ciso", Scope: "department", HolderStaffID: st.ID, DepartmentID: 0}); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("a role given the wrong scope was accepted: %v", err)
			}
			u, temp, err := s.Auth.CreateUser(ctx, admin, auth.NewUser{Login: "yamamoto", DisplayName: "山本 和夫", StaffID: st.ID})
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Auth.Login(ctx, u.Login, temp, auth.Client{})
			if err != nil {
				t.Fatal(err)
			}
			sess, who, err := s.Auth.Authenticate(ctx, res.Token, auth.Client{})
			if err != nil || !sess.MustEnrolMFA {
				t.Fatalf("the CISO need not enrol MFA: %+v %v", sess, err)
			}
			if err := s.Auth.ChangePassword(ctx, who, temp, "十四文字のパスワードですよ。", "十四文字のパスワードですよ。"); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("a 14-character password was accepted under a 16-character rule: %v", err)
			}
			if err := s.Auth.ChangePassword(ctx, who, temp, "十六文字あるパスワードなのでこれは良い", "十六文字あるパスワードなのでこれは良い"); err != nil {
				t.Fatal(err)
			}
		})
	})
}
