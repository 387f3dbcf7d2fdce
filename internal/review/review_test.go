package review_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/article"
	"mamori/internal/asset"
	"mamori/internal/policy"
	"mamori/internal/review"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type env struct {
	*apptest.Env
	office, committee, auditor, network, clerk access.Actor
}

// newEnv is 上毛町 with a holder of each organisation-wide role: the 統括情報セキュリティ責任者
// (chief, of the 情報政策課), the 委員会 (committee, who decides), the 監査統括責任者 and the
// ネットワーク管理者, and a clerk of department B.
func newEnv(t testing.TB, db *store.DB) *env {
	orgWide := func(r policy.Role) bool { return r.Scope == "organization" && !r.AllStaff }
	e := &env{Env: apptest.New(t, db, "koge", apptest.Options{Roles: orgWide, Marks: true})}
	e.office, e.committee = e.Holder("chief@org"), e.Holder("committee@org")
	e.auditor, e.network = e.Holder("chief_auditor@org"), e.Holder("network_admin@org")
	e.clerk = e.Person("職員B", e.DeptB)
	return e
}

func field(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("error names %q, want %q (%v)", apperr.As(err).Field(), field, err)
	}
}

func (e *env) audits(action string) int {
	var n int
	if err := e.S.DB.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE org_id = $1 AND action = $2`, e.Org, action).Scan(&n); err != nil {
		e.T.Fatal(err)
	}
	return n
}

func TestAReviewIsProposedSubmittedAndDecided(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		rs := e.S.Reviews
		_, err := rs.Open(ctx, e.committee, 2026)
		field(t, err, apperr.Forbidden, "")
		r, err := rs.Open(ctx, e.office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != review.Open || r.PackID != "koge" || r.From.In(time.FixedZone("", 9*3600)).Format(time.DateOnly) != "2026-04-01" {
			t.Fatalf("opened %+v", r)
		}
		_, err = rs.Open(ctx, e.office, 2026)
		field(t, err, apperr.Invalid, "fiscal_year")
		_, err = rs.Submit(ctx, e.office, r.ID)
		field(t, err, apperr.Invalid, "proposals")

		_, err = rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第9章 99", Kind: review.Amend, Text: "x"})
		field(t, err, apperr.Invalid, "article")
		_, err = rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 9(3)", Kind: review.Amend})
		field(t, err, apperr.Invalid, "text")
		_, err = rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 9(3)", Kind: "drop", Text: "x"})
		field(t, err, apperr.Invalid, "kind")
		_, err = rs.Propose(ctx, e.clerk, r.ID, review.ProposalInput{Article: "第2章 9(3)", Kind: review.Keep})
		field(t, err, apperr.NotFound, "")
		amend, err := rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 9(3)", Kind: review.Amend, Text: "見直しの時期を明記する"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 4(1)②", Kind: review.Keep}); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 9(4)（新設）", Kind: review.Add, Text: "クラウド利用の見直し"}); err != nil {
			t.Fatal(err)
		}
		_, err = rs.Decide(ctx, e.committee, r.ID, amend.ID, review.DecisionInput{Decision: review.Approved})
		field(t, err, apperr.Invalid, "state")
		if r, err = rs.Submit(ctx, e.office, r.ID); err != nil || r.State != review.Submitted || len(r.Proposals) != 3 {
			t.Fatalf("submitted %+v, %v", r, err)
		}
		_, err = rs.Propose(ctx, e.office, r.ID, review.ProposalInput{Article: "第2章 9(3)", Kind: review.Keep})
		field(t, err, apperr.Invalid, "state")
		_, err = rs.Decide(ctx, e.office, r.ID, amend.ID, review.DecisionInput{Decision: review.Approved})
		field(t, err, apperr.Forbidden, "")
		_, err = rs.Decide(ctx, e.committee, r.ID, amend.ID, review.DecisionInput{Decision: "maybe"})
		field(t, err, apperr.Invalid, "decision")
		for i, pr := range r.Proposals {
			d := review.Approved
			if i == 2 {
				d = review.Rejected
			}
			if r, err = rs.Decide(ctx, e.committee, r.ID, pr.ID, review.DecisionInput{Decision: d, Note: "委員会で審議"}); err != nil {
				t.Fatal(err)
			}
			if (i < 2) != (r.State == review.Submitted) {
				t.Fatalf("after %d decisions the review is %s", i+1, r.State)
			}
		}
		_, err = rs.Decide(ctx, e.committee, r.ID, amend.ID, review.DecisionInput{Decision: review.Rejected})
		field(t, err, apperr.Invalid, "state")
		// Nothing new is active yet: an approved amendment cannot be linked.
		_, err = rs.Link(ctx, e.office, r.ID, amend.ID)
		field(t, err, apperr.Invalid, "pack")
		if got := e.audits("review.open") + e.audits("review.propose") + e.audits("review.submit") + e.audits("review.decide"); got != 1+3+1+3 {
			t.Errorf("%d audit entries for the review, want 8", got)
		}
		// The auditor reads it; a clerk does not.
		if _, _, err := rs.Get(ctx, e.auditor, r.ID); err != nil {
			t.Errorf("auditor: %v", err)
		}
		if _, _, err := rs.Get(ctx, e.clerk, r.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("clerk: %v", err)
		}
	})
}

// facts is a source with fixed facts.
type facts []article.Fact

func (f facts) ArticleFacts(_ context.Context, _ access.Actor, from, to time.Time) ([]article.Fact, error) {
	var out []article.Fact
	for _, x := range f {
		if !x.At.Before(from) && x.At.Before(to) {
			out = append(out, x)
		}
	}
	return out, nil
}

func TestGatherGroupsEachSourcesFactsByArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		// A server that is not mirrored fails 第2章 4(1)② (critical-server-redundant).
		_, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "SV-1", Name: "基幹サーバ", Kind: "server", DepartmentID: e.DeptA,
			ManagerStaffID: e.office.StaffID, Class: map[string]string{"importance": "II"}, Location: "サーバ室",
			Attrs: map[string]any{"critical_server": true, "redundant": false}})
		if err != nil {
			t.Fatal(err)
		}
		at := apptest.Start.Add(48 * time.Hour)
		e.S.Reviews.Sources = append(e.S.Reviews.Sources, facts{
			{Article: "第2章 9(3)", Kind: "inspection", Title: "自己点検", State: "x", At: at},
			{Article: "第2章 9(3)", Kind: "audit", Title: "監査", State: "x", At: at},
			{Article: "第2章 9(3)", Kind: "audit", Title: "前年度の監査", State: "x", At: apptest.Start.AddDate(0, -2, 0)},
		})
		r, err := e.S.Reviews.Open(ctx, e.office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.S.Reviews.Gather(ctx, e.office, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := g.Article("第2章 9(3)")
		if !ok || a.Counts["inspection"] != 1 || a.Counts["audit"] != 1 || len(a.Elements) == 0 {
			t.Errorf("第2章 9(3): %+v", a)
		}
		// The findings of the rules citing 第2章 4(1)② and ③ fall on the indexed article
		// 第2章 4(1), each keeping the article it cites.
		a, _ = g.Article("第2章 4(1)")
		if a.Counts["finding"] != 2 || a.Facts[0].Link == "" || a.Facts[0].State != "compliance.state.open" || a.Facts[0].Article != "第2章 4(1)②" {
			t.Errorf("第2章 4(1): %+v", a)
		}
		if g.Facts != 2+g.Counts["finding"] || g.Counts["finding"] < 1 {
			t.Errorf("gathered %d facts %v", g.Facts, g.Counts)
		}
		// The clerk of another department sees no finding of department A.
		fs, err := e.S.Compliance.ArticleFacts(ctx, e.clerk, r.From, r.To)
		if err != nil || len(fs) != 0 {
			t.Errorf("clerk's facts %v, %v", fs, err)
		}
	})
}

var pdf = append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)

func TestProceduresAreReadByTheirRoleOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		rs := e.S.Reviews
		in := review.ProcedureInput{Title: "ネットワーク運用手順", DocVersion: "第1版", OwnerRole: "network_admin",
			Articles: []string{"第2章 4(1)②"}, ReviewOn: "2026-03-31", File: review.File{Name: "手順.pdf", ContentType: "application/pdf", Body: pdf}}
		_, err := rs.AddProcedure(ctx, e.clerk, in)
		field(t, err, apperr.Forbidden, "")
		bad := in
		bad.File = review.File{Name: "手順.exe", ContentType: "application/pdf", Body: []byte("MZ....")}
		_, err = rs.AddProcedure(ctx, e.network, bad)
		field(t, err, apperr.Invalid, "file")
		bad.File = review.File{Name: "手順.pdf", ContentType: "application/pdf", Body: append(pdf, make([]byte, review.MaxFileSize)...)}
		_, err = rs.AddProcedure(ctx, e.network, bad)
		field(t, err, apperr.Invalid, "file")
		bad = in
		bad.Articles = []string{"第99条"}
		_, err = rs.AddProcedure(ctx, e.network, bad)
		field(t, err, apperr.Invalid, "articles")
		bad = in
		bad.OwnerRole = "staff"
		_, err = rs.AddProcedure(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "owner_role")
		var n int
		e.S.DB.SQL.QueryRow(`SELECT count(*) FROM procedures`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d procedures after refusals", n)
		}
		pr, err := rs.AddProcedure(ctx, e.network, in)
		if err != nil {
			t.Fatal(err)
		}
		if !pr.Overdue {
			t.Error("a procedure past its review date is not overdue")
		}
		if _, err := rs.Procedure(ctx, e.clerk, pr.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("clerk reads a non-public procedure: %v", err)
		}
		for _, who := range []access.Actor{e.office, e.auditor, e.network} {
			if _, body, err := rs.ProcedureFile(ctx, who, pr.ID); err != nil || !bytes.Equal(body, pdf) {
				t.Errorf("%s: %v", who.Name, err)
			}
		}
		due, _ := rs.Due(ctx, e.network)
		if len(due) != 1 {
			t.Errorf("the owner's desk shows %d overdue procedures", len(due))
		}
		if due, _ := rs.Due(ctx, e.office); len(due) != 0 {
			t.Errorf("another role's holder is shown %d", len(due))
		}
		public := in
		public.AllStaff, public.Title = true, "職員向け手順"
		if _, err := rs.AddProcedure(ctx, e.office, public); err != nil {
			t.Fatal(err)
		}
		if list, _ := rs.Procedures(ctx, e.clerk, review.ProcedureFilter{}); len(list) != 1 || list[0].Title != "職員向け手順" {
			t.Errorf("clerk lists %+v", list)
		}
		_, err = rs.Revise(ctx, e.network, pr.ID, review.RevisionInput{ReviewOn: "2026-01-01"})
		field(t, err, apperr.Invalid, "review_on")
		if pr, err = rs.Revise(ctx, e.network, pr.ID, review.RevisionInput{ReviewOn: "2027-03-31"}); err != nil || pr.Overdue {
			t.Fatalf("revised %+v, %v", pr, err)
		}
		if e.audits("procedure.add") != 2 || e.audits("procedure.revise") != 1 {
			t.Error("procedure writes are not in the audit log")
		}
	})
}
