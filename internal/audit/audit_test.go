package audit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/audit"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// env is 岸和田市's pack with its audit chief, CISO, the 情報セキュリティ責任者 of departments A
// and B and a system administrator of SYS1.
type env struct {
	*apptest.Env
	chief, ciso, managerA, managerB, sysAdmin, clerkA, auditorB access.Actor
	criteria                                                    []string
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{Env: apptest.New(t, db, "kishiwada", apptest.Options{Marks: true, Roles: func(r policy.Role) bool {
		return r.ID == "audit_chief" || r.ID == "ciso" || r.ID == "security_officer" || r.ID == "system_admin"
	}})}
	e.chief = e.Holder("audit_chief@org")
	e.ciso = e.Holder("ciso@org")
	e.managerA = e.Holder(apptest.Key(access.Grant{RoleID: "security_officer", Scope: "department", DepartmentID: e.DeptA}))
	e.managerB = e.Holder(apptest.Key(access.Grant{RoleID: "security_officer", Scope: "department", DepartmentID: e.DeptB}))
	e.sysAdmin = e.Holder("system_admin@s:SYS1")
	e.clerkA = e.Actor(e.Person("職員A", e.DeptA))
	e.auditorB = e.Actor(e.Person("監査人B", e.DeptB))
	e.criteria = audit.Articles(e.P)[:2]
	return e
}

func (e *env) plan(auditors ...int64) audit.NewAudit {
	return audit.NewAudit{Title: "令和8年度 情報セキュリティ監査（総務課）", Criteria: e.criteria, StartsOn: "2026-05-01", EndsOn: "2026-06-30",
		Departments: []int64{e.DeptA}, Systems: []string{"SYS1"}, Auditors: auditors}
}

func field(err error) string {
	if ae := apperr.As(err); len(ae.Fields) > 0 {
		return ae.Fields[0].Key
	}
	return string(apperr.CodeOf(err))
}

func pdf() audit.NewEvidence {
	return audit.NewEvidence{Name: "是正報告.pdf", Body: []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")}
}

func TestAuditFromPlanToReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		s := e.S.Audits

		if _, err := s.CreatePlan(ctx, e.clerkA, audit.NewPlan{Kind: audit.PlanAnnual, FromYear: 2026, Title: "x", Aims: "y"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk made a plan: %v", err)
		}
		plan, err := s.CreatePlan(ctx, e.chief, audit.NewPlan{Kind: audit.PlanAnnual, FromYear: 2026, Title: "令和8年度監査計画",
			Aims: "重点: 情報資産の管理", Departments: []int64{e.DeptA}})
		if err != nil {
			t.Fatal(err)
		}
		// Independence: someone of the audited department, its manager, the administrator of the
		// audited system — each refused by name, and nothing recorded.
		for _, who := range []access.Actor{e.clerkA, e.managerA, e.sysAdmin} {
			_, err := s.Create(ctx, e.chief, e.plan(e.auditorB.StaffID, who.StaffID))
			k := field(err)
			if k != "audits.error.own_department" && k != "audits.error.own_system" {
				t.Fatalf("auditor %s not refused: %v", who.Name, err)
			}
			if args := apperr.As(err).Fields[0].Args; len(args) == 0 || args[0] != who.Name {
				t.Errorf("refusal does not name %s: %v", who.Name, args)
			}
		}
		if list, _ := s.List(ctx, e.chief, 2026); len(list) != 0 {
			t.Fatalf("refused audits were recorded: %+v", list)
		}
		in := e.plan(e.auditorB.StaffID)
		in.PlanID = plan.ID
		d, err := s.Create(ctx, e.chief, in)
		if err != nil {
			t.Fatal(err)
		}
		if d.FiscalYear != 2026 || len(d.Team) != 1 || !d.Team[0].Lead {
			t.Fatalf("audit %+v", d.Audit)
		}
		// Special audits are the CISO's to order; a department manager may not.
		sp := e.plan(e.auditorB.StaffID)
		sp.Kind = audit.KindSpecial
		if _, err := s.Create(ctx, e.managerA, sp); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a manager ordered a special audit: %v", err)
		}

		// The auditor records an item and its result; bad evidence is refused and changes nothing.
		if _, err := s.AddItem(ctx, e.auditorB, d.ID, audit.NewItem{Title: "台帳", Article: "第99条", Method: "document"}); field(err) != "audits.error.article" {
			t.Fatalf("item outside the criteria: %v", err)
		}
		it, err := s.AddItem(ctx, e.auditorB, d.ID, audit.NewItem{Title: "情報資産管理台帳の整備", Article: e.criteria[0], Method: "document"})
		if err != nil {
			t.Fatal(err)
		}
		bad := []audit.NewEvidence{{Name: "tool.exe", Body: []byte("MZ....")}}
		if _, err := s.RecordResult(ctx, e.auditorB, d.ID, it.ID, audit.ResultInput{Result: "minor", Note: "未更新", Evidence: bad}); field(err) != "audits.error.evidence_type" {
			t.Fatalf("wrong type: %v", err)
		}
		big := []audit.NewEvidence{{Name: "scan.pdf", Body: append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("a"), audit.MaxEvidenceSize)...)}}
		if _, err := s.RecordResult(ctx, e.auditorB, d.ID, it.ID, audit.ResultInput{Result: "minor", Note: "未更新", Evidence: big}); field(err) != "audits.error.evidence_size" {
			t.Fatalf("too large: %v", err)
		}
		if g, _ := s.Get(ctx, e.chief, d.ID); g.Items[0].Result != "" || len(g.Items[0].Evidence) != 0 {
			t.Fatalf("a refused result changed the item: %+v", g.Items[0])
		}
		if _, err := s.RecordResult(ctx, e.clerkA, d.ID, it.ID, audit.ResultInput{Result: "conforming"}); err == nil {
			t.Fatal("someone off the team recorded a result")
		}
		if _, err := s.RecordResult(ctx, e.auditorB, d.ID, it.ID, audit.ResultInput{Result: "minor", Note: "台帳が1年間更新されていない",
			Evidence: []audit.NewEvidence{pdf()}}); err != nil {
			t.Fatal(err)
		}
		f, err := s.AddFinding(ctx, e.auditorB, d.ID, audit.NewFinding{ItemID: it.ID, Title: "台帳の未更新", RootCause: "担当者の異動時に引継ぎがない"})
		if err != nil {
			t.Fatal(err)
		}
		if f.DepartmentID != e.DeptA || f.Grade != "minor" || f.Article != e.criteria[0] {
			t.Fatalf("finding %+v", f)
		}

		// Read rule: another department sees nothing; the audited department its findings only.
		if _, err := s.Get(ctx, e.managerB, d.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("department B reads the audit of A: %v", err)
		}
		part, err := s.Get(ctx, e.clerkA, d.ID)
		if err != nil || !part.Partial || len(part.Items) != 0 || len(part.Findings) != 1 {
			t.Fatalf("the audited department's view: %+v %v", part, err)
		}
		if _, _, err := s.EvidenceBody(ctx, e.clerkA, d.ID, 1); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the department reads the item's evidence: %v", err)
		}

		// The manager of A plans the corrective action; B's manager may not.
		if _, err := s.PlanAction(ctx, e.managerB, d.ID, f.ID, audit.NewAction{Plan: "x", OwnerStaffID: e.clerkA.StaffID, DueOn: "2026-07-31"}); err == nil {
			t.Fatal("B's manager planned A's action")
		}
		if _, err := s.PlanAction(ctx, e.managerA, d.ID, f.ID, audit.NewAction{Plan: "引継ぎ手順を定める", OwnerStaffID: e.clerkA.StaffID, DueOn: "2026-03-01"}); field(err) != "audits.error.due_past" {
			t.Fatalf("a due day in the past: %v", err)
		}
		act, err := s.PlanAction(ctx, e.managerA, d.ID, f.ID, audit.NewAction{Plan: "引継ぎ手順を定める", OwnerStaffID: e.clerkA.StaffID, DueOn: "2026-07-31"})
		if err != nil {
			t.Fatal(err)
		}
		// Overdue on the owner's desk once its day has passed.
		e.Clock.T = time.Date(2026, 8, 3, 1, 0, 0, 0, time.UTC)
		over, n, err := s.OverdueActions(ctx, e.clerkA, 10)
		if err != nil || n != 1 || !over[0].Overdue {
			t.Fatalf("overdue: %d %+v %v", n, over, err)
		}
		if _, n, _ := s.OverdueActions(ctx, e.managerB, 10); n != 0 {
			t.Fatalf("B's manager sees A's overdue action")
		}
		if _, err := s.CompleteAction(ctx, e.clerkA, d.ID, act.ID, audit.Completion{Note: "手順書を作成した"}); field(err) != "audits.error.evidence_required" {
			t.Fatalf("done without evidence: %v", err)
		}
		if _, err := s.CloseFinding(ctx, e.auditorB, d.ID, f.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("closed without evidence: %v", err)
		}
		if _, err := s.CompleteAction(ctx, e.clerkA, d.ID, act.ID, audit.Completion{Note: "手順書を作成した", Evidence: []audit.NewEvidence{pdf()}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckAction(ctx, e.auditorB, d.ID, act.ID, audit.CheckInput{Effective: true, Note: "手順書と引継ぎ記録を確認"}); err != nil {
			t.Fatal(err)
		}

		// The report: refused without its parts; issued by the chief, hash in the chain.
		if _, err := s.IssueReport(ctx, e.chief, d.ID, audit.ReportInput{Intro: "x"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a report without its parts: %v", err)
		}
		r := audit.ReportInput{Intro: "本報告書は…", Summary: "総務課を対象に…", Opinion: "概ね適切…", Remarks: "特になし"}
		if _, err := s.IssueReport(ctx, e.auditorB, d.ID, r); err != nil {
			t.Fatalf("the team's lead could not issue: %v", err)
		}
		got, err := s.Get(ctx, e.ciso, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != audit.StateReported || got.Report.SHA256 == "" || audit.ReportHash(got) != got.Report.SHA256 {
			t.Fatalf("report %+v, recomputed %s", got.Report, audit.ReportHash(got))
		}
		if e.AuditCount("audit.report.issue") != 1 {
			t.Fatal("the issue is not in the audit chain")
		}
		if _, err := s.IssueReport(ctx, e.chief, d.ID, r); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("issued twice: %v", err)
		}
		if _, err := s.CloseFinding(ctx, e.auditorB, d.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, e.chief, d.ID); got.State != audit.StateClosed {
			t.Fatalf("audit not closed with its last finding: %s", got.State)
		}
		facts, err := s.ArticleFacts(ctx, e.chief, apptest.Start, e.Clock.T.Add(time.Hour))
		if err != nil || len(facts) != 2 || facts[0].Article != e.criteria[0] {
			t.Fatalf("facts %+v %v", facts, err)
		}
		if facts, _ := s.ArticleFacts(ctx, e.managerB, apptest.Start, e.Clock.T); len(facts) != 0 {
			t.Fatalf("B's manager reads facts of A's audit: %+v", facts)
		}
		e.VerifyAudit()
	})
}

func TestExternalAuditorReachesOnlyTheAuditInItsPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		st, err := e.S.Org.CreateStaff(ctx, e.Admin, org.StaffInput{EmployeeNo: "X001", Name: "外部監査人", Employment: "contractor"})
		if err != nil {
			t.Fatal(err)
		}
		ext := e.Actor(access.Actor{OrgID: e.Org, UserID: 9001, StaffID: st.ID, Login: "ext"})
		d, err := e.S.Audits.Create(ctx, e.chief, e.plan(e.auditorB.StaffID, st.ID))
		if err != nil {
			t.Fatal(err)
		}
		if !d.Team[1].External {
			t.Fatal("a contractor is not marked external")
		}
		// Before the audit's first day: nothing.
		if _, err := e.S.Audits.Get(ctx, ext, d.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("external auditor before the period: %v", err)
		}
		e.Clock.T = time.Date(2026, 5, 10, 1, 0, 0, 0, time.UTC)
		if _, err := e.S.Audits.Get(ctx, ext, d.ID); err != nil {
			t.Fatalf("external auditor within the period: %v", err)
		}
		if _, err := e.S.Audits.AddItem(ctx, ext, d.ID, audit.NewItem{Title: "実地確認", Article: e.criteria[1], Method: "onsite"}); err != nil {
			t.Fatal(err)
		}
		e.Clock.T = time.Date(2026, 7, 1, 1, 0, 0, 0, time.UTC)
		if list, _ := e.S.Audits.List(ctx, ext, 0); len(list) != 0 {
			t.Fatalf("external auditor after the period lists %d audits", len(list))
		}
	})
}

func TestSuggestionRanksOpenFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.S.Audits.Scores = func(context.Context, int64, int) (map[int64]float64, error) {
			return map[int64]float64{e.DeptB: 3}, nil
		}
		list, err := e.S.Audits.Suggest(ctx, e.chief, 2026)
		if err != nil || len(list) < 2 || list[0].DepartmentID != e.DeptB {
			t.Fatalf("suggestion %+v %v", list, err)
		}
		if _, err := e.S.Audits.Suggest(ctx, e.clerkA, 2026); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk reads the suggestion: %v", err)
		}
	})
}
