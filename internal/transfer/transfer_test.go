package transfer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/transfer"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

// env is an organisation with three departments, four members of staff and the 情報セキュリティ
// 管理者 of 総務課 held by its 課長 (山田).
type env struct {
	db    *store.DB
	now   time.Time
	org   *org.Service
	tr    *transfer.Service
	admin access.Actor
	dept  map[string]int64
	staff map[string]int64
	role  int64
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{db: db, now: time.Date(2027, 3, 10, 1, 0, 0, 0, time.UTC), dept: map[string]int64{}, staff: map[string]int64{}}
	clock := func() time.Time { return e.now }
	e.org = &org.Service{DB: db, Now: clock}
	e.tr = &transfer.Service{DB: db, Now: clock}
	o, err := e.org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "koge", Name: "上毛町"})
	if err != nil {
		t.Fatal(err)
	}
	e.admin = access.Actor{OrgID: o.ID, UserID: 1, Login: "admin", Name: "情報政策課 管理者", PlatformAdmin: true}
	for _, d := range [][2]string{{"soumu", "総務課"}, {"zeimu", "税務課"}, {"kikaku", "企画課"}} {
		dep, err := e.org.CreateDepartment(ctx, e.admin, org.DepartmentInput{Code: d[0], Name: d[1], Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		e.dept[d[1]] = dep.ID
	}
	for _, s := range [][3]string{{"1001", "山田 太郎", "総務課"}, {"1002", "髙橋 花子", "税務課"}, {"1003", "佐藤 次郎", "企画課"}, {"1004", "鈴木 三郎", "総務課"}} {
		st, err := e.org.CreateStaff(ctx, e.admin, org.StaffInput{EmployeeNo: s[0], Name: s[1], DepartmentID: e.dept[s[2]], Title: "主査", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		e.staff[s[0]] = st.ID
	}
	ra, err := e.org.AssignRole(ctx, e.admin, org.RoleAssignment{RoleID: "security_manager", Scope: "department", DepartmentID: e.dept["総務課"], HolderStaffID: e.staff["1001"]})
	if err != nil {
		t.Fatal(err)
	}
	e.role = ra.ID
	return e
}

func (e *env) upload(t *testing.T, csv string) transfer.List {
	t.Helper()
	l, err := e.tr.Upload(ctx, e.admin, "異動.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (e *env) staffDept(t *testing.T, no string) (int64, bool) {
	t.Helper()
	st, err := e.org.StaffMember(ctx, e.admin, e.staff[no])
	if err != nil {
		t.Fatal(err)
	}
	return st.DepartmentID, st.Active
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.SQL.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const header = "職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日\n"

func TestAListWithAnUnknownDepartmentChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		l := e.upload(t, header+
			"1001,山田太郎,異動,総務課,税務課,課長,2027/3/1\n"+
			"1003,佐藤 次郎,異動,企画課,観光課,,2027/3/1\n"+
			"1002,高橋 花子,退職,税務課,,,令和9年3月1日\n"+
			"1002,高橋 花子,退職,税務課,,,2027-03-01\n"+
			"1004,鈴木一郎,異動,総務課,企画課,,3月\n"+
			"9999,誰か,異動,総務課,企画課,,2027/3/1\n")
		rep, err := e.tr.Check(ctx, e.admin, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Missing) != 0 || len(rep.Rows) != 6 {
			t.Fatalf("report: missing %v, %d rows", rep.Missing, len(rep.Rows))
		}
		want := map[int]string{2: "", 3: "transfer.error.department", 4: "", 5: "transfer.error.employee_no_twice", 6: "transfer.error.name_mismatch", 7: "transfer.error.staff_unknown"}
		for _, r := range rep.Rows {
			keys := []string{}
			for _, p := range r.Problems {
				keys = append(keys, p.Key)
			}
			if w := want[r.Row]; (w == "") != (len(keys) == 0) || w != "" && !strings.Contains(strings.Join(keys, " "), w) {
				t.Errorf("row %d problems %v, want %q", r.Row, keys, w)
			}
		}
		if r := rep.Rows[4]; len(r.Problems) < 2 || r.Problems[len(r.Problems)-1].Key != "transfer.error.date" && r.Problems[0].Key != "transfer.error.date" {
			t.Errorf("row 6 (鈴木, 3月) problems %+v, want the date named too", r.Problems)
		}
		// 髙橋 on the record and 高橋 on the list are one name.
		if r := rep.Rows[2]; len(r.Problems) != 0 || !r.Deactivates {
			t.Errorf("row 4 = %+v", r)
		}
		_, err = e.tr.Apply(ctx, e.admin, l.ID)
		if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "row 3: to_department") {
			t.Fatalf("apply = %v, want the rows named", err)
		}
		if d, _ := e.staffDept(t, "1001"); d != e.dept["総務課"] {
			t.Fatal("山田 moved although the list was refused")
		}
		if n := e.count(t, `SELECT count(*) FROM staff_moves`); n != 0 {
			t.Fatalf("%d moves recorded although the list was refused", n)
		}
	})
}

func TestApplyingAListMovesStaffAndEndsTheOldPost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		l := e.upload(t, "人事異動一覧 令和9年3月1日発令\n"+header+
			"1001,山田 太郎,異動,総務課,税務課,課長,2027/3/1\n"+
			"1002,髙橋　花子,退職,税務課,,,2027/3/1\n"+
			"2001,新井 一,採用,,企画課,主事,2027/3/1\n")
		if l.HeaderRow != 2 {
			t.Fatalf("heading row %d, want 2 (below the title)", l.HeaderRow)
		}
		rep, err := e.tr.Apply(ctx, e.admin, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.List.State != transfer.StateApplied || rep.Kinds[org.MoveHire] != 1 || rep.EndRoles != 1 {
			t.Fatalf("report = state %s kinds %v end roles %d", rep.List.State, rep.Kinds, rep.EndRoles)
		}
		if d, active := e.staffDept(t, "1001"); d != e.dept["税務課"] || !active {
			t.Fatalf("山田 in %d, want 税務課", d)
		}
		if _, active := e.staffDept(t, "1002"); active {
			t.Fatal("the leaver is still active")
		}
		var validTo string
		if err := db.SQL.QueryRowContext(ctx, `SELECT valid_to FROM role_assignments WHERE id = $1`, e.role).Scan(&validTo); err != nil || validTo != "2027-02-28" {
			t.Fatalf("old post's role valid_to = %q, %v; want the day before the move", validTo, err)
		}
		moves, err := org.MovesBetween(ctx, db.SQL, e.admin.OrgID, "2027-03-01", "2027-03-01")
		if err != nil || len(moves) != 3 || moves[0].Source != "import" || moves[0].Batch != l.Batch() {
			t.Fatalf("moves = %+v, %v", moves, err)
		}
		if n := e.count(t, `SELECT count(*) FROM staff WHERE employee_no = '2001' AND active = TRUE AND hired_on = '2027-03-01'`); n != 1 {
			t.Fatal("the hire has no staff record")
		}
		vac, err := e.tr.Vacancies(ctx, e.admin, "2027-03-10")
		if err != nil || len(vac) != 1 || vac[0].Department != "総務課" || !vac[0].ByMove || vac[0].Since != "2027-03-01" {
			t.Fatalf("vacancies = %+v, %v", vac, err)
		}
		hist, err := e.tr.History(ctx, e.admin, e.staff["1001"])
		if err != nil || len(hist) != 1 || hist[0].ToDepartment != "税務課" || hist[0].FromDepartment != "総務課" || hist[0].ListID != l.ID {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if _, err := e.tr.Apply(ctx, e.admin, l.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second apply = %v", err)
		}
		if r, err := auditlog.Verify(ctx, db.SQL, e.admin.OrgID); err != nil || !r.OK() {
			t.Fatalf("audit chain: %+v %v", r, err)
		}
	})
}

func TestAnAprilListWaitsForItsDayOrIsWithdrawn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		april := header + "1001,山田 太郎,異動,総務課,企画課,,2027/4/1\n1003,佐藤 次郎,出向,企画課,岐阜県市町村振興協会,,2027/4/1\n"
		l := e.upload(t, april)
		rep, err := e.tr.Apply(ctx, e.admin, l.ID)
		if err != nil || rep.List.State != transfer.StatePending || rep.Later != 2 {
			t.Fatalf("apply = %+v, %v", rep.List, err)
		}
		if d, _ := e.staffDept(t, "1001"); d != e.dept["総務課"] {
			t.Fatal("a move of 4月1日 took effect in March")
		}
		if due, err := e.tr.ApplyDue(ctx); err != nil || len(due) != 0 {
			t.Fatalf("due in March = %+v, %v", due, err)
		}
		e.now = time.Date(2027, 3, 31, 15, 5, 0, 0, time.UTC) // 4月1日 00:05 JST
		due, err := e.tr.ApplyDue(ctx)
		if err != nil || len(due) != 1 || due[0].Applied != 2 {
			t.Fatalf("due on 4月1日 = %+v, %v", due, err)
		}
		if d, _ := e.staffDept(t, "1001"); d != e.dept["企画課"] {
			t.Fatal("山田 did not move on 4月1日")
		}
		if _, active := e.staffDept(t, "1003"); active {
			t.Fatal("the seconded person is still active")
		}
		got, _ := e.tr.Get(ctx, e.admin, l.ID)
		if got.State != transfer.StateApplied {
			t.Fatalf("state = %s", got.State)
		}
		if _, err := e.tr.Withdraw(ctx, e.admin, l.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("withdraw applied = %v", err)
		}
		// A second list for next year is withdrawn before its day.
		l2 := e.upload(t, header+"1004,鈴木 三郎,異動,総務課,税務課,,2028/4/1\n")
		if _, err := e.tr.Apply(ctx, e.admin, l2.ID); err != nil {
			t.Fatal(err)
		}
		if w, err := e.tr.Withdraw(ctx, e.admin, l2.ID); err != nil || w.State != transfer.StateWithdrawn {
			t.Fatalf("withdraw = %+v, %v", w, err)
		}
		e.now = time.Date(2028, 4, 1, 3, 0, 0, 0, time.UTC)
		if due, err := e.tr.ApplyDue(ctx); err != nil || len(due) != 0 {
			t.Fatalf("withdrawn list applied: %+v %v", due, err)
		}
		if d, _ := e.staffDept(t, "1004"); d != e.dept["総務課"] {
			t.Fatal("鈴木 moved by a withdrawn list")
		}
	})
}

func TestOnlyAdministratorsImportAndTheSecurityRolesRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		clerk := access.Actor{OrgID: e.admin.OrgID, UserID: 5, Login: "clerk"}
		if _, err := e.tr.Upload(ctx, clerk, "a.csv", []byte(header)); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("clerk upload = %v", err)
		}
		l := e.upload(t, header+"1001,山田 太郎,異動,総務課,税務課,,2027/3/1\n")
		if _, err := e.tr.Get(ctx, clerk, l.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("clerk read = %v", err)
		}
		ciso := access.Actor{OrgID: e.admin.OrgID, UserID: 6, Roles: []access.Grant{{RoleID: "ciso", Scope: "organization", Security: true}}}
		if _, err := e.tr.Check(ctx, ciso, l.ID); err != nil {
			t.Fatalf("CISO read = %v", err)
		}
		if _, err := e.tr.Apply(ctx, ciso, l.ID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("CISO apply = %v", err)
		}
		other := access.Actor{OrgID: e.admin.OrgID + 100, UserID: 1, PlatformAdmin: true}
		if _, err := e.tr.Get(ctx, other, l.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("other organisation read = %v", err)
		}
	})
}

func TestAColumnMappedOnceIsRememberedForTheNextList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		sheet := "コード,職員氏名,発令,異動後所属,発令年月日\n1001,山田 太郎,異動,税務課,2027/3/1\n"
		l := e.upload(t, sheet)
		rep, err := e.tr.Check(ctx, e.admin, l.ID)
		if err != nil || len(rep.Missing) != 2 || rep.OK() {
			t.Fatalf("missing = %v, %v; want the staff number and the kind", rep.Missing, err)
		}
		if _, err := e.tr.SetMapping(ctx, e.admin, l.ID, []string{"employee_no", "name", "employee_no", "to_department", "effective_on"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a field mapped twice = %v", err)
		}
		if _, err := e.tr.SetMapping(ctx, e.admin, l.ID, []string{"employee_no", "name", "kind", "to_department", "effective_on"}); err != nil {
			t.Fatal(err)
		}
		if rep, err = e.tr.Check(ctx, e.admin, l.ID); err != nil || !rep.OK() {
			t.Fatalf("after mapping: %+v %v", rep.Rows, err)
		}
		again := e.upload(t, sheet)
		if strings.Join(again.Mapping, ",") != "employee_no,name,kind,to_department,effective_on" {
			t.Fatalf("the next list's mapping = %v", again.Mapping)
		}
	})
}
