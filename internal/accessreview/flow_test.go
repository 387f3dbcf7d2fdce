package accessreview_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// env is 岸和田市's pack: the 所属長 (情報セキュリティ責任者) of A and B, the 情報システム管理者
// of SYS1, the ＣＩＳＯ補佐 (情報政策課), the ネットワーク管理者 and the 監査統括責任者.
type env struct {
	*apptest.Env
	policyDiv access.Actor
	managerA  access.Actor
	managerB  access.Actor
	sysAdmin  access.Actor
	auditor   access.Actor
	clerk     access.Actor
	ctx       context.Context
}

func newEnv(t *testing.T, db *store.DB) *env {
	held := func(r policy.Role) bool {
		return slices.Contains([]string{"ciso_assistant", "security_manager", "system_admin", "audit_chief"}, r.ID)
	}
	e := &env{Env: apptest.New(t, db, "kishiwada", apptest.Options{Roles: held, Marks: true}), ctx: context.Background()}
	e.policyDiv = e.Holder("ciso_assistant@org")
	e.managerA = e.Holder("security_manager@d:" + itoa(e.DeptA))
	e.managerB = e.Holder("security_manager@d:" + itoa(e.DeptB))
	e.sysAdmin = e.Holder("system_admin@s:SYS1")
	e.auditor = e.Holder("audit_chief@org")
	e.clerk = e.Actor(e.Person("職員", e.DeptA))
	return e
}

func itoa(n int64) string { return fmtInt(n) }

func fmtInt(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// account adds an account of a system as the accounts register keeps it.
func (e *env) account(system, login, kind string, owner, dept int64, responsible, lastLogin string) int64 {
	e.T.Helper()
	var id int64
	now := e.Clock.T
	err := e.S.DB.SQL.QueryRowContext(e.ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, responsible_name,
		department_id, last_login_on, granted_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '2025-04-01', $9, $9) RETURNING id`,
		e.Org, system, login, kind, store.NullID(owner), responsible, store.NullID(dept), lastLogin, now).Scan(&id)
	if err != nil {
		e.T.Fatal(err)
	}
	return id
}

// leave marks a staff member as having left on day.
func (e *env) leave(staff int64, day string) {
	e.T.Helper()
	if _, err := e.S.DB.SQL.ExecContext(e.ctx, `UPDATE staff SET active = FALSE, left_on = $1 WHERE id = $2`, day, staff); err != nil {
		e.T.Fatal(err)
	}
}

func code(t *testing.T, err error, want apperr.Code, key string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Code != want || (key != "" && e.Key != key && (len(e.Fields) == 0 || e.Fields[0].Key != key)) {
		t.Fatalf("got %v, want %s %s", err, want, key)
	}
}

func byLogin(items []accessreview.Item) map[string]accessreview.Item {
	out := map[string]accessreview.Item{}
	for _, it := range items {
		out[it.Login] = it
	}
	return out
}

// TestAReviewRunsFromOpeningToClose walks a review of one system: opened by the 情報政策課 with
// the accounts copied and flagged; the 所属長 decide their departments' accounts within the
// pack's rules; the system's administrator proves the removal, which marks the account; and
// the review closes only when everything is decided and proved.
func TestAReviewRunsFromOpeningToClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := e.ctx
		alice := e.Person("青木", e.DeptA)
		bob := e.Person("馬場", e.DeptB)
		carol := e.Person("千葉", e.DeptA)
		e.leave(bob.StaffID, "2026-03-31")
		e.account("SYS1", "aoki", "personal", alice.StaffID, e.DeptA, "", "2026-03-30")
		bobAcct := e.account("SYS1", "baba", "personal", bob.StaffID, e.DeptB, "", "2026-03-01")
		e.account("SYS1", "admin", "privileged", 0, e.DeptA, "", "2026-03-30")
		chibaAcct := e.account("SYS1", "chiba", "personal", carol.StaffID, e.DeptA, "", "2025-10-01")
		e.account("SYS2", "other", "personal", alice.StaffID, e.DeptA, "", "2026-03-30")
		gone := e.account("SYS1", "gone", "personal", alice.StaffID, e.DeptA, "", "")
		if _, err := db.SQL.ExecContext(ctx, `UPDATE system_accounts SET state = 'removed' WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}

		_, err := e.S.AccessReviews.Open(ctx, e.clerk, accessreview.NewReview{Title: "x", Scope: "system", SystemRef: "SYS1"})
		code(t, err, apperr.Forbidden, "accessreview.error.may_not_open")
		r, err := e.S.AccessReviews.Open(ctx, e.policyDiv, accessreview.NewReview{Title: "令和8年度 SYS1 棚卸し", Scope: "system", SystemRef: "SYS1"})
		if err != nil {
			t.Fatal(err)
		}
		if r.DueOn != "2026-05-01" || r.Counts.Total != 4 || r.Counts.Flagged != 3 {
			t.Fatalf("opened %+v", r)
		}
		_, err = e.S.AccessReviews.Open(ctx, e.policyDiv, accessreview.NewReview{Title: "again", Scope: "system", SystemRef: "SYS1"})
		code(t, err, apperr.Conflict, "accessreview.error.already_open")

		// A later change to an account does not rewrite what is reviewed.
		if _, err := db.SQL.ExecContext(ctx, `UPDATE system_accounts SET login = 'renamed', kind = 'shared' WHERE id = $1`, chibaAcct); err != nil {
			t.Fatal(err)
		}
		_, all, err := e.S.AccessReviews.Items(ctx, e.policyDiv, r.ID, accessreview.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		items := byLogin(all)
		if len(items) != 4 || items["chiba"].Kind != "personal" {
			t.Fatalf("items %+v", all)
		}
		for login, want := range map[string][]string{"aoki": {}, "baba": {"leaver"}, "admin": {"privileged_without_owner"}, "chiba": {"dormant"}} {
			if !slices.Equal(items[login].Flags, want) {
				t.Errorf("%s flags %v, want %v", login, items[login].Flags, want)
			}
		}

		// Each 所属長 reads and decides the accounts of their department only.
		_, mineA, err := e.S.AccessReviews.Items(ctx, e.managerA, r.ID, accessreview.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(mineA) != 3 || byLogin(mineA)["baba"].ID != 0 {
			t.Fatalf("manager A sees %+v", mineA)
		}
		_, err = e.S.AccessReviews.Decide(ctx, e.managerA, r.ID, items["baba"].ID, accessreview.Decision{Outcome: "remove", Reason: "退職"})
		code(t, err, apperr.NotFound, "")
		_, err = e.S.AccessReviews.Decide(ctx, e.managerB, r.ID, items["aoki"].ID, accessreview.Decision{Outcome: "keep", Reason: "業務に必要"})
		code(t, err, apperr.NotFound, "accessreview.error.item_not_found")
		_, err = e.S.AccessReviews.Decide(ctx, e.policyDiv, r.ID, items["aoki"].ID, accessreview.Decision{Outcome: "keep", Reason: "業務に必要"})
		code(t, err, apperr.Forbidden, "accessreview.error.not_your_item")
		_, err = e.S.AccessReviews.Decide(ctx, e.managerB, r.ID, items["baba"].ID, accessreview.Decision{Outcome: "keep", Reason: "念のため"})
		code(t, err, apperr.Invalid, "accessreview.error.outcome_forbidden")
		if _, err := e.S.AccessReviews.Decide(ctx, e.managerB, r.ID, items["baba"].ID, accessreview.Decision{Outcome: "remove", Reason: "3月31日退職"}); err != nil {
			t.Fatal(err)
		}
		_, err = e.S.AccessReviews.Close(ctx, e.policyDiv, r.ID)
		code(t, err, apperr.Conflict, "accessreview.error.undecided")

		// The bulk decision refuses the whole batch when one account may not be kept.
		_, err = e.S.AccessReviews.DecideMany(ctx, e.sysAdmin, r.ID, accessreview.Bulk{Outcome: "keep", Reason: "業務に必要"})
		code(t, err, apperr.Invalid, "accessreview.error.outcome_forbidden")
		v, _ := e.S.AccessReviews.Get(ctx, e.policyDiv, r.ID)
		if v.Review.Counts.Pending != 3 {
			t.Fatalf("a refused bulk decision changed something: %+v", v.Review.Counts)
		}
		if _, err := e.S.AccessReviews.Decide(ctx, e.sysAdmin, r.ID, items["admin"].ID, accessreview.Decision{Outcome: "change", Reason: "利用者を指名する"}); err != nil {
			t.Fatal(err)
		}
		n, err := e.S.AccessReviews.DecideMany(ctx, e.managerA, r.ID, accessreview.Bulk{Outcome: "keep", Reason: "業務に必要"})
		if err != nil || n != 2 {
			t.Fatalf("bulk: %d %v", n, err)
		}
		_, err = e.S.AccessReviews.Close(ctx, e.policyDiv, r.ID)
		code(t, err, apperr.Conflict, "accessreview.error.unproved")

		// The removal's proof: not by a 所属長, not dated before the review opened.
		e.Clock.T = e.Clock.T.Add(48 * time.Hour)
		_, err = e.S.AccessReviews.Prove(ctx, e.managerB, r.ID, items["baba"].ID, accessreview.Proof{DoneOn: "2026-04-02", DoneBy: "IT推進課 山田"})
		code(t, err, apperr.Forbidden, "accessreview.error.may_not_prove")
		_, err = e.S.AccessReviews.Prove(ctx, e.sysAdmin, r.ID, items["baba"].ID, accessreview.Proof{DoneOn: "2026-03-31", DoneBy: "IT推進課 山田"})
		code(t, err, apperr.Invalid, "accessreview.error.proof_before_open")
		var state string
		db.SQL.QueryRowContext(ctx, `SELECT state FROM system_accounts WHERE id = $1`, bobAcct).Scan(&state)
		if state != "active" {
			t.Fatalf("a refused proof changed the account: %s", state)
		}
		if _, err := e.S.AccessReviews.Prove(ctx, e.sysAdmin, r.ID, items["baba"].ID, accessreview.Proof{DoneOn: "2026-04-02", DoneBy: "IT推進課 山田", Note: "AD から削除"}); err != nil {
			t.Fatal(err)
		}
		var removedOn, removedBy string
		db.SQL.QueryRowContext(ctx, `SELECT state, removed_on, removed_by_name FROM system_accounts WHERE id = $1`, bobAcct).Scan(&state, &removedOn, &removedBy)
		if state != "removed" || removedOn != "2026-04-02" || removedBy != "IT推進課 山田" {
			t.Fatalf("account after proof: %s %s %s", state, removedOn, removedBy)
		}
		_, err = e.S.AccessReviews.Decide(ctx, e.managerB, r.ID, items["baba"].ID, accessreview.Decision{Outcome: "keep", Reason: "x"})
		code(t, err, apperr.Conflict, "accessreview.error.already_proved")
		if _, err := e.S.AccessReviews.Prove(ctx, e.sysAdmin, r.ID, items["admin"].ID, accessreview.Proof{DoneOn: "2026-04-03", DoneBy: "IT推進課 山田"}); err != nil {
			t.Fatal(err)
		}

		_, results, err := e.S.AccessReviews.Results(ctx, e.policyDiv, r.ID)
		if err != nil || len(results) != 1 {
			t.Fatalf("results %+v %v", results, err)
		}
		if c := results[0].Counts; c.Total != 4 || c.Kept != 2 || c.Removed != 1 || c.Changed != 1 || c.Pending != 0 || c.Proved != 2 {
			t.Errorf("results %+v", c)
		}
		closed, err := e.S.AccessReviews.Close(ctx, e.policyDiv, r.ID)
		if err != nil || closed.State != "closed" {
			t.Fatalf("close: %+v %v", closed, err)
		}
		var reviewed string
		db.SQL.QueryRowContext(ctx, `SELECT last_reviewed_on FROM system_accounts WHERE login = 'aoki'`).Scan(&reviewed)
		if reviewed != "2026-04-03" {
			t.Errorf("kept account reviewed on %q", reviewed)
		}
		e.VerifyAudit()
		if e.AuditCount("accessreview.prove") != 2 || e.AuditCount("accessreview.decide_many") != 1 {
			t.Error("audit entries missing")
		}
	})
}

// TestWhoReadsAReview: the 情報政策課 and auditors read every review; a 所属長 the reviews with
// their accounts; a member of staff none.
func TestWhoReadsAReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := e.ctx
		alice := e.Person("青木", e.DeptA)
		e.account("SYS1", "aoki", "personal", alice.StaffID, e.DeptA, "", "2026-03-30")
		r, err := e.S.AccessReviews.Open(ctx, e.sysAdmin, accessreview.NewReview{Title: "SYS1", Scope: "system", SystemRef: "SYS1"})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			who   access.Actor
			reads bool
		}{"policy": {e.policyDiv, true}, "auditor": {e.auditor, true}, "opener": {e.sysAdmin, true}, "managerA": {e.managerA, true},
			"managerB": {e.managerB, false}, "clerk": {e.clerk, false}} {
			list, err := e.S.AccessReviews.List(ctx, c.who, accessreview.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			_, gerr := e.S.AccessReviews.Get(ctx, c.who, r.ID)
			if (len(list) == 1) != c.reads || (gerr == nil) != c.reads {
				t.Errorf("%s: list %d, get %v; reads %v", name, len(list), gerr, c.reads)
			}
		}
		w, n, err := e.S.AccessReviews.Awaiting(ctx, e.managerA, 10)
		if err != nil || n != 1 || w[0].ToDecide != 1 {
			t.Fatalf("awaiting %+v %d %v", w, n, err)
		}
		e.Clock.T = e.Clock.T.AddDate(0, 2, 0)
		over, err := e.S.AccessReviews.Overdue(ctx, e.managerA, 10)
		if err != nil || len(over) != 1 || !over[0].Overdue {
			t.Fatalf("overdue %+v %v", over, err)
		}
		if over, _ := e.S.AccessReviews.Overdue(ctx, e.clerk, 10); len(over) != 0 {
			t.Errorf("a clerk sees overdue reviews %+v", over)
		}
		d, err := e.S.Desks.For(ctx, e.managerA)
		if err != nil || d.AccessReviews.Total != 1 || d.OverdueAccessReviews.Total != 1 {
			t.Fatalf("desk %+v %v", d.AccessReviews, err)
		}
	})
}
