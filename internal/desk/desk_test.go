package desk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apptest"
	"mamori/internal/asset"
	"mamori/internal/desk"
	"mamori/internal/incident"
	"mamori/internal/logbook"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is 上毛町 (koge) with a holder of every role but the one all staff hold, signed in with
// the pack's marks, and clerks in departments A (two of them) and B.
type env struct {
	*apptest.Env
	clerk, clerk2, clerkB access.Actor
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	e := &env{Env: apptest.New(t, db, "koge", apptest.Options{Roles: func(r policy.Role) bool { return !r.AllStaff }, Marks: true, OrgNamed: true})}
	e.clerk = e.Person("職員A", e.DeptA)
	e.clerk2 = e.Person("職員A2", e.DeptA)
	e.clerkB = e.Person("職員B", e.DeptB)
	return e
}

func (e *env) desk(who access.Actor) desk.Desk {
	e.T.Helper()
	d, err := e.S.Desks.For(context.Background(), who)
	if err != nil {
		e.T.Fatal(err)
	}
	return d
}

func requestIDs(s desk.Section[request.Request]) []int64 {
	var out []int64
	for _, r := range s.Items {
		out = append(out, r.ID)
	}
	return out
}

func incidentIDs(s desk.Section[incident.Incident]) []int64 {
	var out []int64
	for _, in := range s.Items {
		out = append(out, in.ID)
	}
	return out
}

func stepIncidents(s desk.Section[incident.ChecklistStep]) []int64 {
	var out []int64
	for _, n := range s.Items {
		out = append(out, n.IncidentID)
	}
	return out
}

// server is a critical server of department A that is not mirrored: rule
// critical-server-redundant (第2章 4(1)②) finds it.
func (e *env) server(number string) asset.Asset {
	e.T.Helper()
	a, err := e.S.Assets.Create(context.Background(), e.Admin, asset.Input{Number: number, Name: "基幹サーバ", Kind: "server",
		DepartmentID: e.DeptA, ManagerStaffID: e.clerk.StaffID, Class: map[string]string{"importance": "II"}, Location: "サーバ室",
		SystemRef: "SYS1", Attrs: map[string]any{"critical_server": true, "redundant": false}})
	if err != nil {
		e.T.Fatal(err)
	}
	return a
}

func (e *env) report(title string) incident.Incident {
	e.T.Helper()
	in, err := e.S.Incidents.Report(context.Background(), e.clerk, incident.ReportInput{Title: title,
		Items:      map[string]any{"situation": title, "suspected_act": "不審メール", "damage": "端末1台"},
		DetectedAt: e.Clock.T.Add(-time.Hour),
		Evidence:   []incident.NewEvidence{{Field: "records", Name: "log.txt", ContentType: "text/plain", Body: []byte("alert\n")}}})
	if err != nil {
		e.T.Fatal(err)
	}
	return in
}

// TestDeskShowsEachRecordToItsOwnerOnly: every section of the desk lists a record for the person
// it waits for or belongs to, and not for a clerk of another department; a restricted incident
// stays off the desks and counts of those who may not see it.
func TestDeskShowsEachRecordToItsOwnerOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		approver, ciso := e.Holder("security_manager@org"), e.Holder("ciso@org")
		network, auditor := e.Holder("network_admin@org"), e.Holder("chief_auditor@org")
		sv := e.server("SV-001")

		var first, second request.Request
		t.Run("requests awaiting a decision: the approver's, newest first; the applicant's own", func(t *testing.T) {
			var err error
			for _, r := range []*request.Request{&first, &second} {
				*r, err = e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "take_out", AssetIDs: []int64{sv.ID}, Fields: map[string]any{
					"destination": "委託先", "out_date": "2026-04-01", "return_date": "2026-04-03"}})
				if err != nil {
					t.Fatal(err)
				}
			}
			d := e.desk(approver)
			if got := requestIDs(d.Awaiting); !slices.Equal(got, []int64{second.ID, first.ID}) || d.Awaiting.Total != 2 {
				t.Fatalf("approver awaits %v (total %d), want newest first [%d %d]", got, d.Awaiting.Total, second.ID, first.ID)
			}
			if d := e.desk(e.clerkB); len(d.Awaiting.Items) != 0 || len(d.Mine.Items) != 0 {
				t.Fatalf("another department's clerk sees %v awaiting, %v as theirs", requestIDs(d.Awaiting), requestIDs(d.Mine))
			}
			if d := e.desk(e.clerk); d.Mine.Total != 2 || d.Mine.Items[0].ID != second.ID || len(d.Awaiting.Items) != 0 {
				t.Fatalf("the applicant's desk: mine %v, awaiting %v", requestIDs(d.Mine), requestIDs(d.Awaiting))
			}
		})

		t.Run("overdue returns: the applicant's and the whole organisation's, not another clerk's", func(t *testing.T) {
			if _, err := e.S.Requests.Decide(ctx, approver, first.ID, request.Decision{Decision: request.Approve}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.S.Requests.RecordTakeOut(ctx, e.clerk, first.ID, request.TakeOut{On: "2026-04-01"}); err != nil {
				t.Fatal(err)
			}
			if d := e.desk(e.clerk); len(d.OverdueReturns.Items) != 0 {
				t.Fatalf("not yet due, yet overdue: %v", requestIDs(d.OverdueReturns))
			}
			e.Clock.T = e.Clock.T.Add(4 * 24 * time.Hour) // 2026-04-05
			if got := requestIDs(e.desk(e.clerk).OverdueReturns); !slices.Equal(got, []int64{first.ID}) {
				t.Fatalf("the applicant's overdue returns %v, want [%d]", got, first.ID)
			}
			if d := e.desk(e.clerkB); len(d.OverdueReturns.Items) != 0 || d.Overview != nil {
				t.Fatalf("another clerk sees overdue %v, overview %v", requestIDs(d.OverdueReturns), d.Overview)
			}
			d := e.desk(ciso)
			if d.Overview == nil || d.Overview.OverdueReturns != 1 || !slices.Contains(requestIDs(d.OverdueReturns), first.ID) {
				t.Fatalf("the CISO's overview %+v, overdue %v", d.Overview, requestIDs(d.OverdueReturns))
			}
		})

		var open, secret incident.Incident
		t.Run("checklist steps and incidents: the holder of the step's From; a restricted one stays with those who see it", func(t *testing.T) {
			open, secret = e.report("不審メールの添付を開いた"), e.report("職員による持ち出しの疑い")
			var err error
			if open, err = e.S.Incidents.Triage(ctx, network, open.ID, incident.TriageInput{Version: open.Version, IsIncident: true, Category: "serious_damage",
				Severity: "high", Routes: []string{"internal_report"}}); err != nil {
				t.Fatal(err)
			}
			if secret, err = e.S.Incidents.Triage(ctx, ciso, secret.ID, incident.TriageInput{Version: secret.Version, IsIncident: true, Category: "serious_damage",
				Severity: "high", Routes: []string{"internal_report"}, Restricted: true}); err != nil {
				t.Fatal(err)
			}
			d := e.desk(network)
			if got := stepIncidents(d.Steps); !slices.Contains(got, open.ID) || slices.Contains(got, secret.ID) {
				t.Fatalf("the network administrator's steps are of incidents %v, want %d and not the restricted %d", got, open.ID, secret.ID)
			}
			for _, n := range d.Steps.Items {
				if n.From != "network_admin" {
					t.Fatalf("a step from %s on the network administrator's desk", n.From)
				}
			}
			if got := incidentIDs(d.Incidents); !slices.Contains(got, open.ID) || slices.Contains(got, secret.ID) {
				t.Fatalf("the network administrator handles %v", got)
			}
			if d := e.desk(e.clerkB); len(d.Steps.Items) != 0 || len(d.Incidents.Items) != 0 {
				t.Fatalf("another clerk's desk: steps %v, incidents %v", stepIncidents(d.Steps), incidentIDs(d.Incidents))
			}
			d = e.desk(ciso)
			if got := incidentIDs(d.Incidents); !slices.Contains(got, secret.ID) || !slices.Contains(got, open.ID) {
				t.Fatalf("the CISO handles %v", got)
			}
			if n := d.Overview.Incidents[incident.Open]; n != 2 {
				t.Fatalf("the CISO counts %d open incidents this year, want 2", n)
			}
			a := e.desk(auditor)
			if a.Overview == nil || a.Overview.Incidents[incident.Open] != 1 {
				t.Fatalf("the auditor, who may not read the restricted incident, counts %+v", a.Overview)
			}
		})

		t.Run("findings of one's department", func(t *testing.T) {
			d := e.desk(e.clerk)
			if d.Findings.Total == 0 || d.Findings.Items[0].AssetID != sv.ID {
				t.Fatalf("department A's findings %+v", d.Findings)
			}
			if d := e.desk(e.clerkB); d.Findings.Total != 0 {
				t.Fatalf("department B's clerk sees %d findings of A", d.Findings.Total)
			}
			o := e.desk(ciso).Overview
			if o.Findings.High+o.Findings.Critical+o.Findings.Medium+o.Findings.Low == 0 || len(o.Departments) == 0 || o.Departments[0].DepartmentID != e.DeptA {
				t.Fatalf("the overview's findings %+v by department %+v", o.Findings, o.Departments)
			}
		})

		t.Run("exceptions ending within 30 days, for their department", func(t *testing.T) {
			var ids []int64
			for _, until := range []string{"2026-04-20", "2026-06-30"} {
				r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: map[string]any{
					"rule": "第2章 4(1)②", "measure": "日次の外部バックアップで代替する", "reason": "機器更新まで冗長構成が取れないため",
					"rules": "critical-server-redundant", "assets": "SV-001", "expires_on": until}})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.S.Requests.Decide(ctx, ciso, r.ID, request.Decision{Decision: request.Approve}); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.ID)
			}
			d := e.desk(e.clerk)
			if d.Exceptions.Total != 1 || d.Exceptions.Items[0].RequestID != ids[0] {
				t.Fatalf("ending soon %+v, want only request %d", d.Exceptions, ids[0])
			}
			if d := e.desk(e.clerkB); d.Exceptions.Total != 0 {
				t.Fatalf("department B's clerk sees %d exceptions of A", d.Exceptions.Total)
			}
		})

		t.Run("logbook entries awaiting a second person: another writer of the department, not the writer", func(t *testing.T) {
			en, err := e.S.Logbooks.Create(ctx, e.clerk, logbook.Input{Logbook: "system_change_record", Fields: map[string]any{
				"system": float64(sv.ID), "at": "2026-04-05T09:00", "work": "設定変更", "worker": float64(e.clerk.StaffID),
				"confirmer": float64(e.clerk2.StaffID)}})
			if err != nil {
				t.Fatal(err)
			}
			d := e.desk(e.clerk2)
			if d.Confirmations.Total != 1 || d.Confirmations.Items[0].ID != en.ID {
				t.Fatalf("the second person's desk %+v", d.Confirmations)
			}
			for _, who := range []access.Actor{e.clerk, e.clerkB} {
				if d := e.desk(who); d.Confirmations.Total != 0 {
					t.Fatalf("%s is asked to confirm %+v", who.Name, d.Confirmations)
				}
			}
			if n := e.desk(ciso).Overview.OverdueConfirmations; n != 0 {
				t.Fatalf("an entry of today counts as overdue: %d", n)
			}
			e.Clock.T = e.Clock.T.Add(24 * time.Hour)
			if n := e.desk(ciso).Overview.OverdueConfirmations; n != 1 {
				t.Fatalf("yesterday's unconfirmed entry counts %d", n)
			}
		})
	})
}

func TestFiscalYearStart(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	for _, c := range []struct{ at, want time.Time }{
		{time.Date(2026, 3, 31, 23, 0, 0, 0, jst), time.Date(2025, 4, 1, 0, 0, 0, 0, jst)},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, jst), time.Date(2026, 4, 1, 0, 0, 0, 0, jst)},
		{time.Date(2026, 3, 31, 15, 30, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, jst)},
	} {
		if got := desk.FiscalYearStart(c.at); !got.Equal(c.want) {
			t.Errorf("FiscalYearStart(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}
