package inspection_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/inspection"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// env is 山形県's pack with two departments: each department's security roles, every
// organisation-wide role and the system role held.
type env struct {
	*apptest.Env
	policyDiv access.Actor // 情報政策課: the 統括情報セキュリティ責任者
	managerA  access.Actor // 情報セキュリティ管理者 of A
	managerB  access.Actor
	auditor   access.Actor
	clerk     access.Actor
	ctx       context.Context
}

func newEnv(t *testing.T, db *store.DB) *env {
	held := func(r policy.Role) bool { return r.Scope != "department" || r.Security }
	e := &env{Env: apptest.New(t, db, "yamagata", apptest.Options{Roles: held, Marks: true}), ctx: context.Background()}
	e.policyDiv = e.Holder("chief@org")
	e.managerA = e.Holder("security_manager@d:" + itoa(e.DeptA))
	e.managerB = e.Holder("security_manager@d:" + itoa(e.DeptB))
	e.auditor = e.Holder("audit_team@org")
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

func (e *env) start(year int, deadline string) inspection.Campaign {
	e.T.Helper()
	c, err := e.S.Inspections.Start(e.ctx, e.policyDiv, inspection.NewCampaign{FiscalYear: year, Title: "令和8年度 自己点検", Deadline: deadline})
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// sheetOf returns the sheet of a department in a campaign.
func (e *env) sheetOf(c inspection.Campaign, dept int64) inspection.Sheet {
	e.T.Helper()
	pr, err := e.S.Inspections.Campaign(e.ctx, e.policyDiv, c.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	for _, sh := range pr.Sheets {
		if sh.DepartmentID == dept {
			return sh
		}
	}
	e.T.Fatalf("no sheet of department %d", dept)
	return inspection.Sheet{}
}

// answerAll answers every item of a sheet: answer for the first, done for the rest.
func (e *env) answerAll(who access.Actor, c inspection.Campaign, sh inspection.Sheet, first string) inspection.SheetView {
	e.T.Helper()
	v, err := e.S.Inspections.View(e.ctx, who, c.ID, sh.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	var given []inspection.Given
	for i, a := range v.Answers {
		g := inspection.Given{Seq: a.Item.Seq, Answer: inspection.Done}
		if i == 0 {
			g.Answer, g.Comment = first, "手順書が未整備"
		}
		given = append(given, g)
	}
	v, err = e.S.Inspections.Save(e.ctx, who, c.ID, sh.ID, given)
	if err != nil {
		e.T.Fatal(err)
	}
	return v
}

func codeIs(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestCampaignFromStartToResubmission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		_, err := e.S.Inspections.Start(e.ctx, e.managerA, inspection.NewCampaign{FiscalYear: 2026, Title: "x", Deadline: "2026-05-31"})
		codeIs(t, err, apperr.Forbidden)
		c := e.start(2026, "2026-05-31")
		if c.Items != len(e.P.Inspections) {
			t.Fatalf("items %d, pack has %d", c.Items, len(e.P.Inspections))
		}
		pr, err := e.S.Inspections.Campaign(e.ctx, e.policyDiv, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var depts, roles int
		for _, sh := range pr.Sheets {
			if sh.DepartmentID != 0 {
				depts++
				if len(sh.Answerers) == 0 {
					t.Errorf("department sheet %s has nobody to answer it", sh.Name())
				}
			} else {
				roles++
			}
		}
		if depts != 2 || roles == 0 {
			t.Fatalf("sheets: %d departments, %d roles", depts, roles)
		}

		shA, shB := e.sheetOf(c, e.DeptA), e.sheetOf(c, e.DeptB)
		// The read rule: B's manager and a clerk do not find A's sheet; the auditor reads it
		// but may not answer.
		_, err = e.S.Inspections.View(e.ctx, e.managerB, c.ID, shA.ID)
		codeIs(t, err, apperr.NotFound)
		_, err = e.S.Inspections.View(e.ctx, e.clerk, c.ID, shA.ID)
		codeIs(t, err, apperr.NotFound)
		if list, _ := e.S.Inspections.Campaigns(e.ctx, e.clerk); len(list) != 0 {
			t.Fatalf("a clerk lists %d campaigns", len(list))
		}
		if v, err := e.S.Inspections.View(e.ctx, e.auditor, c.ID, shA.ID); err != nil || v.Acts.Answer {
			t.Fatalf("auditor: %v, acts %+v", err, v.Acts)
		}
		_, err = e.S.Inspections.Save(e.ctx, e.auditor, c.ID, shA.ID, []inspection.Given{{Seq: 1, Answer: inspection.Done}})
		codeIs(t, err, apperr.Forbidden)
		if pr, _ := e.S.Inspections.Campaign(e.ctx, e.managerB, c.ID); len(pr.Sheets) != 1 || pr.Sheets[0].ID != shB.ID {
			t.Fatalf("B's manager sees sheets %+v", pr.Sheets)
		}

		// A partly answered sheet is not submitted; 未実施 needs a comment.
		v, err := e.S.Inspections.View(e.ctx, e.managerA, c.ID, shA.ID)
		if err != nil {
			t.Fatal(err)
		}
		seq := v.Answers[0].Item.Seq
		_, err = e.S.Inspections.Save(e.ctx, e.managerA, c.ID, shA.ID, []inspection.Given{{Seq: seq, Answer: inspection.NotDone}})
		codeIs(t, err, apperr.Invalid)
		_, err = e.S.Inspections.Save(e.ctx, e.managerA, c.ID, shA.ID, []inspection.Given{{Seq: seq, Answer: "maybe"}})
		codeIs(t, err, apperr.Invalid)
		if _, err := e.S.Inspections.Save(e.ctx, e.managerA, c.ID, shA.ID, []inspection.Given{{Seq: seq, Answer: inspection.Done}}); err != nil {
			t.Fatal(err)
		}
		_, err = e.S.Inspections.Submit(e.ctx, e.managerA, c.ID, shA.ID)
		codeIs(t, err, apperr.Invalid)

		e.answerAll(e.managerA, c, shA, inspection.NotDone)
		v, err = e.S.Inspections.Submit(e.ctx, e.managerA, c.ID, shA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Sheet.State != inspection.SheetSubmitted || v.Acts.Answer {
			t.Fatalf("after submit: %s, acts %+v", v.Sheet.State, v.Acts)
		}
		_, err = e.S.Inspections.Save(e.ctx, e.managerA, c.ID, shA.ID, []inspection.Given{{Seq: seq, Answer: inspection.Done}})
		codeIs(t, err, apperr.Conflict)
		fs, err := e.S.Inspections.Findings(e.ctx, e.managerA, inspection.FindingFilter{})
		if err != nil || len(fs) != 1 || fs[0].Answer != inspection.NotDone || fs[0].DepartmentID != e.DeptA || fs[0].Owner == "" {
			t.Fatalf("findings %+v, %v", fs, err)
		}
		if fs[0].DueOn != "2026-06-30" {
			t.Errorf("due %s", fs[0].DueOn)
		}
		if fsB, _ := e.S.Inspections.Findings(e.ctx, e.managerB, inspection.FindingFilter{}); len(fsB) != 0 {
			t.Fatalf("B's manager sees A's findings: %+v", fsB)
		}

		// 差戻し: only the 情報政策課, with a reason; then the manager corrects and resubmits.
		_, err = e.S.Inspections.Return(e.ctx, e.managerA, c.ID, shA.ID, "理由", "")
		codeIs(t, err, apperr.Forbidden)
		_, err = e.S.Inspections.Return(e.ctx, e.policyDiv, c.ID, shA.ID, " ", "")
		codeIs(t, err, apperr.Invalid)
		v, err = e.S.Inspections.Return(e.ctx, e.policyDiv, c.ID, shA.ID, "根拠資料を添付してください", "")
		if err != nil || v.Sheet.State != inspection.SheetReturned || v.Sheet.ReturnReason == "" {
			t.Fatalf("return: %v %+v", err, v.Sheet)
		}
		e.answerAll(e.managerA, c, shA, inspection.Done)
		if _, err := e.S.Inspections.Submit(e.ctx, e.managerA, c.ID, shA.ID); err != nil {
			t.Fatal(err)
		}
		if fs, _ := e.S.Inspections.Findings(e.ctx, e.managerA, inspection.FindingFilter{}); len(fs) != 0 {
			t.Fatalf("a corrected answer's finding stays open: %+v", fs)
		}
		if n := e.AuditCount("inspection.return"); n != 1 {
			t.Errorf("%d return entries", n)
		}

		// After the deadline nothing is taken.
		e.Clock.T = time.Date(2026, 5, 31, 15, 0, 0, 0, time.UTC) // 2026-06-01 00:00 JST
		_, err = e.S.Inspections.Save(e.ctx, e.managerB, c.ID, shB.ID, []inspection.Given{{Seq: seq, Answer: inspection.Done}})
		codeIs(t, err, apperr.Conflict)
		if !strings.Contains(apperr.As(err).Key, "past_deadline") {
			t.Fatalf("refused with %v", err)
		}
		e.VerifyAudit()
	})
}

func TestEvidenceOfTheWrongTypeOrSizeIsRefusedAndNothingChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.start(2026, "2026-05-31")
		sh := e.sheetOf(c, e.DeptA)
		v, _ := e.S.Inspections.View(e.ctx, e.managerA, c.ID, sh.ID)
		s1, s2 := v.Answers[0].Item.Seq, v.Answers[1].Item.Seq
		for _, ev := range []*inspection.NewEvidence{
			{Name: "tool.exe", Body: []byte("MZ....")},
			{Name: "report.pdf", Body: []byte("this is not a pdf")},
			{Name: "big.txt", Body: []byte(strings.Repeat("a", inspection.MaxEvidenceSize+1))},
			{Name: "empty.txt"},
		} {
			_, err := e.S.Inspections.Save(e.ctx, e.managerA, c.ID, sh.ID, []inspection.Given{
				{Seq: s1, Answer: inspection.Done}, {Seq: s2, Answer: inspection.Done, Evidence: ev}})
			codeIs(t, err, apperr.Invalid)
			if f := apperr.As(err).Field(); !strings.HasSuffix(f, ".evidence") {
				t.Errorf("%s: field %q", ev.Name, f)
			}
		}
		if v, _ := e.S.Inspections.View(e.ctx, e.managerA, c.ID, sh.ID); v.Sheet.Answered != 0 {
			t.Fatalf("a refused save kept %d answers", v.Sheet.Answered)
		}
		v, err := e.S.Inspections.Save(e.ctx, e.managerA, c.ID, sh.ID, []inspection.Given{
			{Seq: s1, Answer: inspection.Done, Evidence: &inspection.NewEvidence{Name: "点検記録.pdf", Body: []byte("%PDF-1.4\n...")}}})
		if err != nil || v.Answers[0].EvidenceID == 0 {
			t.Fatalf("%v %+v", err, v.Answers[0])
		}
		f, err := e.S.Inspections.EvidenceFile(e.ctx, e.managerA, c.ID, sh.ID, v.Answers[0].EvidenceID)
		if err != nil || f.ContentType != "application/pdf" {
			t.Fatalf("%v %+v", err, f.ContentType)
		}
		_, err = e.S.Inspections.EvidenceFile(e.ctx, e.managerB, c.ID, sh.ID, v.Answers[0].EvidenceID)
		codeIs(t, err, apperr.NotFound)
	})
}

func TestResultsByChapterBesideLastYearAndArticleFacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.Clock.T = time.Date(2025, 5, 1, 1, 0, 0, 0, time.UTC)
		last := e.start(2025, "2025-05-31")
		e.answerAll(e.managerA, last, e.sheetOf(last, e.DeptA), inspection.NotDone)
		if _, err := e.S.Inspections.Close(e.ctx, e.policyDiv, last.ID); err != nil {
			t.Fatal(err)
		}
		e.Clock.T = apptest.Start
		c := e.start(2026, "2026-05-31")
		e.answerAll(e.managerA, c, e.sheetOf(c, e.DeptA), inspection.Done)
		r, err := e.S.Inspections.Results(e.ctx, e.policyDiv, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Previous == nil || r.Previous.ID != last.ID || len(r.Chapters) == 0 {
			t.Fatalf("previous %+v chapters %v", r.Previous, r.Chapters)
		}
		var rowA *inspection.ResultRow
		for i := range r.Rows {
			if r.Rows[i].DepartmentID == e.DeptA {
				rowA = &r.Rows[i]
			}
		}
		if rowA == nil || rowA.Sum.Now.Done == 0 || rowA.Sum.Before == nil || rowA.Sum.Before.NotDone != 1 {
			t.Fatalf("row A %+v", rowA)
		}
		if d, ok := rowA.Sum.Delta(); !ok || d <= 0 {
			t.Fatalf("delta %v %v", d, ok)
		}
		rb, _ := e.S.Inspections.Results(e.ctx, e.managerB, c.ID)
		for _, row := range rb.Rows {
			if row.DepartmentID == e.DeptA {
				t.Fatal("B's manager sees A's results")
			}
		}

		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		facts, err := e.S.Inspections.ArticleFacts(e.ctx, e.policyDiv, from, to)
		if err != nil || len(facts) == 0 {
			t.Fatalf("%v %d", err, len(facts))
		}
		for _, f := range facts {
			if f.Article == "" || f.State != "inspection.answer.done" || !strings.HasPrefix(f.Link, "/self-inspections/") {
				t.Fatalf("fact %+v", f)
			}
		}
		if facts, _ := e.S.Inspections.ArticleFacts(e.ctx, e.managerB, from, to); len(facts) != 0 {
			t.Fatalf("B's manager gets A's facts: %d", len(facts))
		}
	})
}

// 上毛町's 情報セキュリティ管理者 serves the whole town: its department sheets are answered by
// the holders of its department role (情報システム担当者), and the manager's own items go to the
// role's sheet.
func TestAPackWithoutADepartmentSecurityRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := apptest.New(t, db, "koge", apptest.Options{Roles: func(policy.Role) bool { return true }, Marks: true})
		ctx := context.Background()
		chief := e.Holder("chief@org")
		c, err := e.S.Inspections.Start(ctx, chief, inspection.NewCampaign{FiscalYear: 2026, Title: "点検", Deadline: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := e.S.Inspections.Campaign(ctx, e.Holder("system_staff@d:"+fmtInt(e.DeptA)), c.ID)
		if err != nil || len(pr.Sheets) != 1 || pr.Sheets[0].DepartmentID != e.DeptA {
			t.Fatalf("%v %+v", err, pr.Sheets)
		}
		pr, err = e.S.Inspections.Campaign(ctx, e.Holder("security_manager@org"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, sh := range pr.Sheets {
			found = found || sh.RoleID == "security_manager"
		}
		if !found {
			t.Fatalf("the manager's role sheet is missing: %+v", pr.Sheets)
		}
	})
}
