package risk_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/risk"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type env struct {
	*apptest.Env
	svc   *risk.Service
	chief access.Actor // 統括情報セキュリティ責任者, of the 情報政策課
	ciso  access.Actor
	clerk access.Actor // of department B
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{Env: apptest.New(t, db, "koge", apptest.Options{Roles: func(r policy.Role) bool {
		return r.ID == "ciso" || r.ID == "chief" || r.ID == "chief_auditor"
	}, Marks: true})}
	e.svc = &risk.Service{DB: db, Policy: e.S.Policy, Compliance: e.S.Compliance, Now: e.Clock.Now}
	e.chief, e.ciso = e.Holder("chief@org"), e.Holder("ciso@org")
	e.clerk = e.Person("職員B", e.DeptB)
	return e
}

func (e *env) asset(number, kind, class string, dept int64, attrs map[string]any) {
	e.T.Helper()
	_, err := e.S.Assets.Create(context.Background(), e.Admin, asset.Input{Number: number, Name: number, Kind: kind, DepartmentID: dept,
		Class: map[string]string{"importance": class}, Location: "庁舎", Attrs: attrs})
	if err != nil {
		e.T.Fatal(err)
	}
}

func find(reg risk.Register, kind, impact, threat string) (risk.Risk, bool) {
	for _, r := range reg.Risks {
		if r.AssetKind == kind && r.GroupImpact == impact && r.Threat == threat {
			return r, true
		}
	}
	return risk.Risk{}, false
}

// TestCandidatesAssessmentAndAcceptance: candidates are asset groups × threats with the impact of
// their class and a likelihood raised by failing rules; the 情報政策課 assesses one, the CISO
// accepts its residual risk until a day, the acceptance expires; each act is in the audit chain.
func TestCandidatesAssessmentAndAcceptance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		e.asset("S1", "server", "I", e.DeptA, map[string]any{"critical_server": true, "redundant": false})
		e.asset("S2", "server", "I", e.DeptB, map[string]any{"critical_server": true, "redundant": true})
		e.asset("D1", "document", "III", e.DeptB, nil)

		if _, err := e.svc.Generate(ctx, e.clerk); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk generated candidates: %v", err)
		}
		g, err := e.svc.Generate(ctx, e.chief)
		if err != nil {
			t.Fatal(err)
		}
		if g.Groups != 2 || g.Created != 2*5 || g.Assets != 3 {
			t.Fatalf("generated %+v", g)
		}
		reg, err := e.svc.List(ctx, e.chief, risk.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		srv, ok := find(reg, "server", "large", "intentional")
		if !ok || srv.AssetCount != 2 || !srv.Highest || srv.OpenFindings < 1 || len(srv.Controls) == 0 || slices.Contains(srv.Controls, "critical-server-redundant") || !slices.Contains(srv.Failing, "critical-server-redundant") {
			t.Fatalf("server group = %+v", srv)
		}
		if srv.ProposedLikelihood != "high" || srv.Likelihood != "high" || srv.Level != "high" || srv.ThreatArticle != "第1章 3(1)" {
			t.Fatalf("a high-severity failing rule should propose likelihood high: %+v", srv)
		}
		// A failing rule of medium severity (an unlabelled document) raises it one step.
		doc, _ := find(reg, "document", "small", "disaster")
		if doc.ProposedLikelihood != "medium" || doc.Level != "low" || !slices.Contains(doc.Failing, "classification-label") || slices.Contains(doc.Failing, "critical-server-redundant") {
			t.Fatalf("document group = %+v", doc)
		}

		// Bad input names its field and changes nothing.
		bad := risk.Assessment{Likelihood: "high", Impact: "huge", Treatment: "reduce", OwnerDepartmentID: e.DeptA,
			ResidualLikelihood: "high", ResidualImpact: "large"}
		_, err = e.svc.Assess(ctx, e.chief, srv.ID, bad)
		if ae := apperr.As(err); ae.Code != apperr.Invalid || !fieldNamed(ae, "impact") || !fieldNamed(ae, "plan") {
			t.Fatalf("bad assessment: %+v", err)
		}
		good := risk.Assessment{Likelihood: "high", Impact: "large", Treatment: "reduce", Plan: "基幹サーバを冗長化する",
			OwnerDepartmentID: e.DeptA, ResidualLikelihood: "medium", ResidualImpact: "large", Version: srv.Version}
		higher := good
		higher.ResidualImpact, higher.Impact = "large", "medium"
		if _, err := e.svc.Assess(ctx, e.chief, srv.ID, higher); !fieldNamed(apperr.As(err), "residual_impact") {
			t.Fatalf("a residual risk above the inherent one: %v", err)
		}
		if _, err := e.svc.Assess(ctx, e.clerk, srv.ID, good); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk assessed: %v", err)
		}
		if _, err := e.svc.Accept(ctx, e.ciso, srv.ID, risk.Acceptance{Until: "2026-12-31"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("accepted before assessment: %v", err)
		}
		r, err := e.svc.Assess(ctx, e.chief, srv.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != risk.StateAssessed || r.Level != "high" || r.ResidualLevel != "high" || r.OwnerDepartmentName != "総務課" {
			t.Fatalf("assessed = %+v", r)
		}
		if _, err := e.svc.Assess(ctx, e.chief, srv.ID, good); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("an assessment of a stale version: %v", err)
		}

		// The CISO accepts, for no longer than the pack allows.
		for _, c := range []struct{ until, field string }{{"2026-03-31", "until"}, {"2028-01-01", "until"}, {"来年", "until"}} {
			if _, err := e.svc.Accept(ctx, e.ciso, srv.ID, risk.Acceptance{Until: c.until}); !fieldNamed(apperr.As(err), c.field) {
				t.Fatalf("acceptance until %s: %v", c.until, err)
			}
		}
		if _, err := e.svc.Accept(ctx, e.chief, srv.ID, risk.Acceptance{Until: "2026-09-30"}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("the 統括 accepted: %v", err)
		}
		r, err = e.svc.Accept(ctx, e.ciso, srv.ID, risk.Acceptance{Until: "2026-09-30", Note: "冗長化は来年度予算で対応"})
		if err != nil || r.State != risk.StateAccepted || r.Expired {
			t.Fatalf("accepted = %+v, %v", r, err)
		}
		e.Clock.T = e.Clock.T.Add(200 * 24 * time.Hour)
		if r, _, err = e.svc.Get(ctx, e.chief, srv.ID); err != nil || !r.Expired {
			t.Fatalf("an acceptance past its day is not shown expired: %+v %v", r, err)
		}

		// Regenerating keeps the assessment and refreshes the proposal.
		if _, err := e.svc.Generate(ctx, e.chief); err != nil {
			t.Fatal(err)
		}
		if r, _, _ = e.svc.Get(ctx, e.chief, srv.ID); r.State != risk.StateAccepted || r.Plan != good.Plan {
			t.Fatalf("regeneration changed the assessment: %+v", r)
		}
		if e.AuditCount("risk.assess") != 1 || e.AuditCount("risk.accept") != 1 || e.AuditCount("risk.generate") != 2 {
			t.Fatalf("audit entries: assess %d, accept %d, generate %d", e.AuditCount("risk.assess"), e.AuditCount("risk.accept"), e.AuditCount("risk.generate"))
		}
		e.VerifyAudit()
	})
}

// TestWhoReadsTheRegister: the security roles and auditors read every risk; a department only
// the risks it owns, and of a group holding assets of the highest class nothing about the assets.
func TestWhoReadsTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		e.asset("S1", "server", "I", e.DeptA, map[string]any{"critical_server": true, "redundant": false})
		e.asset("D1", "document", "III", e.DeptB, nil)
		if _, err := e.svc.Generate(ctx, e.chief); err != nil {
			t.Fatal(err)
		}
		reg, _ := e.svc.List(ctx, e.chief, risk.Filter{})
		srv, _ := find(reg, "server", "large", "intentional")
		doc, _ := find(reg, "document", "small", "intentional")
		for _, x := range []risk.Risk{srv, doc} {
			if _, err := e.svc.Assess(ctx, e.chief, x.ID, risk.Assessment{Likelihood: "medium", Impact: x.GroupImpact, Treatment: "accept",
				OwnerDepartmentID: e.DeptB, ResidualLikelihood: "medium", ResidualImpact: x.GroupImpact}); err != nil {
				t.Fatal(err)
			}
		}
		stranger := e.Person("職員A", e.DeptA)
		if reg, _ := e.svc.List(ctx, stranger, risk.Filter{}); len(reg.Risks) != 0 {
			t.Fatalf("another department reads %d risks", len(reg.Risks))
		}
		if _, _, err := e.svc.Get(ctx, stranger, doc.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another department opened a risk: %v", err)
		}
		reg, _ = e.svc.List(ctx, e.clerk, risk.Filter{})
		if len(reg.Risks) != 2 {
			t.Fatalf("the owner reads %d risks, want 2", len(reg.Risks))
		}
		own, _ := find(reg, "server", "large", "intentional")
		if !own.Restricted || own.AssetCount != 0 || len(own.Failing) != 0 || len(own.Departments) != 0 || own.Level == "" {
			t.Fatalf("the highest-class group is told to its owner: %+v", own)
		}
		if d, _ := find(reg, "document", "small", "intentional"); d.Restricted || d.AssetCount != 1 {
			t.Fatalf("a group below the highest class: %+v", d)
		}
		auditor := e.Holder("chief_auditor@org")
		if reg, _ := e.svc.List(ctx, auditor, risk.Filter{}); len(reg.Risks) != 10 || reg.Risks[0].Restricted {
			t.Fatalf("the auditor reads %d risks", len(reg.Risks))
		}
		list, _, err := e.S.Audit.List(ctx, access.Actor{OrgID: e.Org, PlatformAdmin: true}, auditlog.Filter{Action: "risk.assess", Limit: 10})
		if err != nil || len(list) != 2 {
			t.Fatalf("audit entries %d, %v", len(list), err)
		}
		ok, err := e.svc.AuditReadable(ctx, e.clerk, list)
		if err != nil {
			t.Fatal(err)
		}
		for i, en := range list {
			if want := en.EntityID != itoa(srv.ID); ok[i] != want {
				t.Errorf("the owner reads the entry of risk %s in full: %v, want %v", en.EntityID, ok[i], want)
			}
		}
		facts, err := e.svc.ArticleFacts(ctx, e.clerk, apptest.Start, e.Clock.T.Add(time.Hour))
		if err != nil || len(facts) == 0 {
			t.Fatalf("facts %v %v", facts, err)
		}
		for _, f := range facts {
			if f.Kind != "risk" || f.Article == "" || f.Link == "" {
				t.Fatalf("fact %+v", f)
			}
		}
	})
}

func fieldNamed(e *apperr.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// TestRisksDueOnTheDesk: a risk assessed to be accepted waits for the CISO; once accepted it
// waits for nobody until its acceptance runs out, and then for the 情報政策課 and its owner.
func TestRisksDueOnTheDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		e.asset("D1", "document", "III", e.DeptB, nil)
		if _, err := e.svc.Generate(ctx, e.chief); err != nil {
			t.Fatal(err)
		}
		reg, _ := e.svc.List(ctx, e.chief, risk.Filter{})
		x := reg.Risks[0]
		if _, err := e.svc.Assess(ctx, e.chief, x.ID, risk.Assessment{Likelihood: "low", Impact: "small", Treatment: "accept",
			OwnerDepartmentID: e.DeptB, ResidualLikelihood: "low", ResidualImpact: "small"}); err != nil {
			t.Fatal(err)
		}
		due := func(who access.Actor) int {
			t.Helper()
			_, n, err := e.svc.Due(ctx, who, 10)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if due(e.ciso) != 1 || due(e.chief) != 0 || due(e.clerk) != 0 {
			t.Fatalf("due before acceptance: ciso %d, chief %d, clerk %d", due(e.ciso), due(e.chief), due(e.clerk))
		}
		if _, err := e.svc.Accept(ctx, e.ciso, x.ID, risk.Acceptance{Until: "2026-04-30"}); err != nil {
			t.Fatal(err)
		}
		if due(e.ciso) != 0 || due(e.chief) != 0 || due(e.clerk) != 0 {
			t.Fatal("an acceptance in force still waits")
		}
		e.Clock.T = e.Clock.T.AddDate(0, 1, 0)
		if due(e.chief) != 1 || due(e.clerk) != 1 {
			t.Fatalf("an acceptance run out: chief %d, clerk %d", due(e.chief), due(e.clerk))
		}
		d, err := e.S.Desks.For(ctx, e.clerk)
		if err != nil || d.Risks.Total != 1 {
			t.Fatalf("the owner's desk: %+v, %v", d.Risks, err)
		}
	})
}
