package incident_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestKogeReportTriageChecklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		in := e.report(e.clerk, "庁内サーバへの不正アクセス")
		if in.State != incident.Reported || len(in.Evidence) != 1 || in.ReporterID != e.clerk.StaffID {
			t.Fatalf("reported: %+v", in)
		}
		if e.notices(incident.NoticeReported, in.ID) != 1 {
			t.Fatal("the first recipients were not told of the report")
		}
		// 3(1): the report goes to ネットワーク管理者 and 情報システム管理者; a clerk does not triage.
		_, err := e.S.Incidents.Triage(ctx, e.clerkB, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true})
		mustCode(t, err, apperr.NotFound, "")
		na := e.Holder("network_admin@org")
		tri := incident.TriageInput{Version: in.Version, IsIncident: true, Category: "serious_damage", Severity: "critical", Systems: []string{"SYS1"}}
		in, err = e.S.Incidents.Triage(ctx, na, in.ID, tri)
		if err != nil {
			t.Fatal(err)
		}
		if in.State != incident.Open || in.Category != "serious_damage" || in.Routes[0] != "internal_report" {
			t.Fatalf("triaged: %+v", in)
		}
		_, err = e.S.Incidents.Triage(ctx, na, in.ID, tri)
		mustCode(t, err, apperr.Invalid, "state")
		// 4(1)①: 町長, CISO, 福岡県, 警察 and those affected, after the route's own reports.
		got := tos(in.Checklist)
		for _, want := range []string{"network_admin>chief", "network_admin>security_manager", "network_admin>poc", "chief>ciso",
			"network_admin>mayor", "network_admin>ciso", "network_admin>prefecture", "network_admin>police", "network_admin>affected"} {
			if !slices.Contains(got, want) {
				t.Fatalf("checklist %v lacks %s", got, want)
			}
		}
		if slices.Index(got, "network_admin>mayor") > slices.Index(got, "network_admin>police") {
			t.Fatalf("category order lost: %v", got)
		}
		// 速やかに: 24 hours from the report; 必要に応じて and 4(1) (no words): no deadline.
		toChief := find(t, in.Checklist, "network_admin", "chief")
		if toChief.DueAt == nil || !toChief.DueAt.Equal(in.ReportedAt.Add(24*time.Hour)) || toChief.Within != "速やかに" {
			t.Fatalf("deadline %+v", toChief)
		}
		if n := find(t, in.Checklist, "chief", "ciso"); n.DueAt != nil {
			t.Fatalf("必要に応じて has a deadline: %+v", n)
		}
		if e.notices(incident.NoticeToTell, in.ID) == 0 {
			t.Fatal("ネットワーク管理者 was not told what to report")
		}

		t.Run("a report ticked by someone without the role is refused, nothing changed", func(t *testing.T) {
			for _, who := range []struct {
				name string
				err  apperr.Code
			}{{"CISO", apperr.Forbidden}, {"clerk", apperr.Forbidden}} {
				actor := e.Holder("ciso@org")
				if who.name == "clerk" {
					actor = e.clerk // the reporter sees it but is not ネットワーク管理者
				}
				_, err := e.S.Incidents.TickOff(ctx, actor, in.ID, toChief.ID, incident.Tick{Means: "phone"})
				mustCode(t, err, who.err, "step")
			}
			cur, _ := e.S.Incidents.Get(ctx, na, in.ID)
			if find(t, cur.Checklist, "network_admin", "chief").State != "open" {
				t.Fatal("a refused tick changed the checklist")
			}
		})

		t.Run("bad ticks", func(t *testing.T) {
			_, err := e.S.Incidents.TickOff(ctx, na, in.ID, toChief.ID, incident.Tick{Means: "phone", At: e.Clock.T.Add(time.Hour)})
			mustCode(t, err, apperr.Invalid, "at")
			_, err = e.S.Incidents.TickOff(ctx, na, in.ID, toChief.ID, incident.Tick{Means: "phone", At: in.DetectedAt.Add(-time.Minute)})
			mustCode(t, err, apperr.Invalid, "at")
			_, err = e.S.Incidents.TickOff(ctx, na, in.ID, toChief.ID, incident.Tick{Means: "pigeon"})
			mustCode(t, err, apperr.Invalid, "means")
		})

		e.Clock.T = e.Clock.T.Add(10 * time.Minute)
		n, err := e.S.Incidents.TickOff(ctx, na, in.ID, toChief.ID, incident.Tick{Means: "phone", Note: "企画開発課長へ電話"})
		if err != nil || n.State != "done" || n.DoneByID != na.StaffID || n.Means != "phone" {
			t.Fatalf("tick: %+v %v", n, err)
		}
		_, err = e.S.Incidents.TickOff(ctx, na, in.ID, toChief.ID, incident.Tick{Means: "phone"})
		mustCode(t, err, apperr.Invalid, "step")

		t.Run("overdue after the deadline, reminded once a day", func(t *testing.T) {
			e.Clock.T = in.ReportedAt.Add(25 * time.Hour)
			over, err := e.S.Incidents.Overdue(ctx, e.Holder("ciso@org"))
			if err != nil {
				t.Fatal(err)
			}
			var late []string
			for _, o := range over {
				late = append(late, o.From+">"+o.To)
			}
			if !slices.Contains(late, "network_admin>security_manager") || slices.Contains(late, "network_admin>chief") {
				t.Fatalf("overdue %v", late)
			}
			if list, _ := e.S.Incidents.Overdue(ctx, e.clerkB); len(list) != 0 {
				t.Fatalf("a clerk of another department sees overdue reports: %v", list)
			}
			sent, err := e.S.Incidents.Remind(ctx)
			if err != nil || len(sent) != len(over) {
				t.Fatalf("remind %v %v (overdue %d)", sent, err, len(over))
			}
			again, err := e.S.Incidents.Remind(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second sweep the same day: %v %v", again, err)
			}
			if e.notices(incident.NoticeOverdue, in.ID) != len(over) {
				t.Fatalf("overdue notices %d", e.notices(incident.NoticeOverdue, in.ID))
			}
			got, _ := e.S.Incidents.Get(ctx, na, in.ID)
			if !find(t, got.Checklist, "network_admin", "poc").Overdue {
				t.Fatal("an overdue report is not flagged")
			}
		})

		t.Run("skipping needs a reason", func(t *testing.T) {
			cur, _ := e.S.Incidents.Get(ctx, na, in.ID)
			aff := find(t, cur.Checklist, "network_admin", "affected")
			_, err := e.S.Incidents.Skip(ctx, na, in.ID, aff.ID, "")
			mustCode(t, err, apperr.Invalid, "note")
			if n, err := e.S.Incidents.Skip(ctx, na, in.ID, aff.ID, "被害を受けるおそれのある者はいない"); err != nil || n.State != "skipped" {
				t.Fatalf("skip %+v %v", n, err)
			}
		})
		for _, a := range []string{"incident.report", "incident.triage", "incident.notified", "incident.step_skipped", "incident.evidence"} {
			if e.AuditCount(a) == 0 {
				t.Fatalf("no audit entry %s", a)
			}
		}
		e.VerifyAudit()
	})
}

func TestKishiwadaChecklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		in := e.report(e.clerk, "標的型メールの添付ファイルを開封")
		csirt := e.Holder("csirt_lead@org")
		in, err := e.S.Incidents.Triage(ctx, csirt, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "incident", Severity: "high"})
		if err != nil {
			t.Fatal(err)
		}
		// 図2: ① the finder to the CSIRT (done by the report), ③ the CSIRT to CISO, 大阪府, 総務省, NISC.
		first := find(t, in.Checklist, "discoverer", "csirt")
		if first.State != "done" || first.Means != "system" {
			t.Fatalf("① is not done by the report: %+v", first)
		}
		var order []string
		for _, n := range in.Checklist {
			if n.From == "csirt" && n.Source == "route:flow#3" {
				order = append(order, n.To)
			}
		}
		if !slices.Equal(order, []string{"ciso", "osaka", "mic", "nisc"}) {
			t.Fatalf("③ %v", order)
		}
		// 速やかに from when the CSIRT was told, which is the report.
		if n := find(t, in.Checklist, "csirt", "nisc"); n.DueAt == nil || !n.DueAt.Equal(in.ReportedAt.Add(24*time.Hour)) {
			t.Fatalf("NISC deadline %+v", n)
		}
		// ⑤ waits until the 情報セキュリティ責任者 is told by ④... which the report did; ⑦ from the
		// target department waits for nobody and has no time.
		if n := find(t, in.Checklist, "security_manager", "csirt"); n.DueAt != nil {
			t.Fatalf("⑦ has a deadline %+v", n)
		}
		_, err = e.S.Incidents.TickOff(ctx, e.Holder("ciso@org"), in.ID, find(t, in.Checklist, "csirt", "osaka").ID, incident.Tick{Means: "mail"})
		mustCode(t, err, apperr.Forbidden, "step")
		if _, err := e.S.Incidents.TickOff(ctx, csirt, in.ID, find(t, in.Checklist, "csirt", "osaka").ID, incident.Tick{Means: "mail"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestYamagataChecklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "yamagata")
		in := e.report(e.clerk, "USBメモリの紛失")
		// 6.6(1)①: the 所属's 情報セキュリティ管理者 triages — of department A, not B.
		_, err := e.S.Incidents.Triage(ctx, e.Holder("security_manager@d:"+itoa(e.DeptB)), in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "major", Severity: "medium"})
		mustCode(t, err, apperr.NotFound, "")
		sm := e.Holder("security_manager@d:" + itoa(e.DeptA))
		in, err = e.S.Incidents.Triage(ctx, sm, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "major", Severity: "medium"})
		if err != nil {
			t.Fatal(err)
		}
		// 職員等 → 情報セキュリティ管理者 → 情報主管課長 → 統括・副統括 → CISO.
		want := []string{"staff>security_manager", "security_manager>it_director", "it_director>chief", "it_director>deputy_chief", "chief>ciso"}
		got := tos(in.Checklist)
		last := -1
		for _, w := range want {
			i := slices.Index(got, w)
			if i < 0 || i < last {
				t.Fatalf("checklist %v: %s missing or out of order", got, w)
			}
			last = i
		}
		// 情報主管課長 is told by the 情報セキュリティ管理者: their report to 統括 waits until then.
		if n := find(t, in.Checklist, "it_director", "chief"); n.DueAt != nil {
			t.Fatalf("統括's report runs before 情報主管課長 was told: %+v", n)
		}
		e.Clock.T = e.Clock.T.Add(30 * time.Minute)
		if _, err := e.S.Incidents.TickOff(ctx, sm, in.ID, find(t, in.Checklist, "security_manager", "it_director").ID, incident.Tick{Means: "phone"}); err != nil {
			t.Fatal(err)
		}
		got2, _ := e.S.Incidents.Get(ctx, sm, in.ID)
		// 緊急性及び重要性に応じて: listed, never overdue.
		if n := find(t, got2.Checklist, "it_director", "chief"); n.DueAt != nil {
			t.Fatalf("緊急性及び重要性に応じて got a deadline: %+v", n)
		}
		// The 情報主管課長 is no security role, but the checklist makes them one who handles it.
		if _, err := e.S.Incidents.Get(ctx, e.Holder("it_director@org"), in.ID); err != nil {
			t.Fatalf("情報主管課長 does not see the incident: %v", err)
		}
	})
}
