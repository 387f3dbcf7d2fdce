package incident_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// opened is a koge incident triaged as a crime by ネットワーク管理者.
func opened(t *testing.T, e *env) incident.Incident {
	t.Helper()
	in := e.report(e.clerk, "不正アクセスの痕跡")
	in, err := e.S.Incidents.Triage(context.Background(), e.Holder("network_admin@org"), in.ID,
		incident.TriageInput{Version: in.Version, IsIncident: true, Category: "crime", Severity: "high", Systems: []string{"SYS1"}})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestResponse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		in := opened(t, e)
		na, ciso, chief := e.Holder("network_admin@org"), e.Holder("ciso@org"), e.Holder("chief@org")

		t.Run("measures with the pack's conditions and deciding role", func(t *testing.T) {
			_, err := e.S.Incidents.TakeMeasure(ctx, e.Holder("security_manager@org"), in.ID, incident.MeasureInput{Measure: "network_cut", Conditions: []int{0}})
			mustCode(t, err, apperr.Forbidden, "measure")
			_, err = e.S.Incidents.TakeMeasure(ctx, na, in.ID, incident.MeasureInput{Measure: "network_cut"})
			mustCode(t, err, apperr.Invalid, "conditions")
			_, err = e.S.Incidents.TakeMeasure(ctx, na, in.ID, incident.MeasureInput{Measure: "network_cut", Conditions: []int{9}})
			mustCode(t, err, apperr.Invalid, "conditions")
			_, err = e.S.Incidents.TakeMeasure(ctx, na, in.ID, incident.MeasureInput{Measure: "no_such", Conditions: []int{0}})
			mustCode(t, err, apperr.Invalid, "measure")
			ev, err := e.S.Incidents.TakeMeasure(ctx, na, in.ID, incident.MeasureInput{Measure: "network_cut", Conditions: []int{0, 3}, At: e.Clock.T.Add(-10 * time.Minute)})
			if err != nil || ev.Data["decided_by"] != "network_admin" || len(ev.Data["conditions"].([]string)) != 2 {
				t.Fatalf("measure %+v %v", ev, err)
			}
			_, err = e.S.Incidents.TakeMeasure(ctx, ciso, in.ID, incident.MeasureInput{Measure: "attack_notice_stop", Conditions: []int{0}, At: in.DetectedAt.Add(-time.Second)})
			mustCode(t, err, apperr.Invalid, "at")
		})

		t.Run("evidence keeps its hash and its chain of custody", func(t *testing.T) {
			body := []byte("Apr  1 09:50:01 fw01 DENY tcp 203.0.113.5:4444 -> 10.0.0.8:445\n")
			ev, err := e.S.Incidents.AddEvidence(ctx, na, in.ID, incident.NewEvidence{Name: "fw01.log", ContentType: "text/plain", Body: body,
				CollectedAt: e.Clock.T.Add(-5 * time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(body)
			if ev.SHA256 != hex.EncodeToString(sum[:]) || ev.Size != int64(len(body)) || ev.CollectedByID != na.StaffID || ev.SniffedType != "text/plain" {
				t.Fatalf("evidence %+v", ev)
			}
			if _, err := e.S.Incidents.HandOver(ctx, na, in.ID, ev.ID, chief.StaffID, time.Time{}, "解析のため統括へ引継ぎ"); err != nil {
				t.Fatal(err)
			}
			got, b, err := e.S.Incidents.EvidenceBody(ctx, chief, in.ID, ev.ID)
			if err != nil || !bytes.Equal(b, body) || got.SHA256 != ev.SHA256 {
				t.Fatalf("body: %v", err)
			}
			// The database refuses to change or delete evidence or the timeline.
			if _, err := db.SQL.Exec(`UPDATE incident_evidence SET body = $1 WHERE id = $2`, []byte("tampered"), ev.ID); err == nil {
				t.Fatal("evidence was changed")
			}
			if _, err := db.SQL.Exec(`DELETE FROM incident_events WHERE incident_id = $1`, in.ID); err == nil {
				t.Fatal("the timeline was deleted")
			}
			full, _ := e.S.Incidents.Get(ctx, na, in.ID)
			var kinds []string
			for _, x := range full.Evidence {
				if x.ID == ev.ID {
					for _, c := range x.Custody {
						kinds = append(kinds, c.Kind)
					}
				}
			}
			if strings.Join(kinds, ",") != "evidence.collected,evidence.custody,evidence.read" {
				t.Fatalf("custody %v", kinds)
			}
			if _, b2, _ := e.S.Incidents.EvidenceBody(ctx, na, in.ID, ev.ID); sha256.Sum256(b2) != sum {
				t.Fatal("the stored bytes no longer match what was uploaded")
			}
		})

		t.Run("dangerous and bad evidence is refused, nothing kept", func(t *testing.T) {
			png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
			cases := []struct {
				name string
				ev   incident.NewEvidence
			}{
				{"double extension", incident.NewEvidence{Name: "invoice.pdf.exe", ContentType: "application/pdf", Body: []byte("%PDF-1.4 x")}},
				{"executable inside", incident.NewEvidence{Name: "請求書.exe.pdf", ContentType: "application/pdf", Body: []byte("%PDF-1.4 x")}},
				{"path separator", incident.NewEvidence{Name: "../../etc/passwd.txt", ContentType: "text/plain", Body: []byte("x")}},
				{"backslash", incident.NewEvidence{Name: `C:\logs\a.txt`, ContentType: "text/plain", Body: []byte("x")}},
				{"control character", incident.NewEvidence{Name: "a\x00.txt", ContentType: "text/plain", Body: []byte("x")}},
				{"reserved name", incident.NewEvidence{Name: "CON.txt", ContentType: "text/plain", Body: []byte("x")}},
				{"reserved COM1", incident.NewEvidence{Name: "com1.log", ContentType: "text/plain", Body: []byte("x")}},
				{"trailing dot", incident.NewEvidence{Name: "run.exe.", ContentType: "text/plain", Body: []byte("x")}},
				{"declared text, is an image", incident.NewEvidence{Name: "a.txt", ContentType: "text/plain", Body: png}},
				{"html as text", incident.NewEvidence{Name: "a.txt", ContentType: "text/plain", Body: []byte("<html><script>alert(1)</script>")}},
				{"program", incident.NewEvidence{Name: "dump.bin", ContentType: "application/octet-stream", Body: []byte("MZ\x90\x00\x03")}},
				{"unknown type", incident.NewEvidence{Name: "a.svg", ContentType: "image/svg+xml", Body: []byte("<svg/>")}},
				{"empty", incident.NewEvidence{Name: "a.txt", ContentType: "text/plain"}},
				{"too large", incident.NewEvidence{Name: "big.log", ContentType: "text/plain", Body: bytes.Repeat([]byte("a"), incident.MaxEvidenceSize+1)}},
				{"collected in the future", incident.NewEvidence{Name: "a.txt", ContentType: "text/plain", Body: []byte("x"), CollectedAt: e.Clock.T.Add(time.Hour)}},
				{"collected before detection", incident.NewEvidence{Name: "a.txt", ContentType: "text/plain", Body: []byte("x"), CollectedAt: in.DetectedAt.Add(-time.Hour)}},
			}
			before, _ := e.S.Incidents.Get(ctx, na, in.ID)
			for _, c := range cases {
				_, err := e.S.Incidents.AddEvidence(ctx, na, in.ID, c.ev)
				if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field() == "" {
					t.Fatalf("%s: %v", c.name, err)
				}
			}
			after, _ := e.S.Incidents.Get(ctx, na, in.ID)
			if len(after.Evidence) != len(before.Evidence) || len(after.Timeline) != len(before.Timeline) {
				t.Fatal("refused evidence left something behind")
			}
		})

		t.Run("recovery, monitoring, root cause, plan, publication, police", func(t *testing.T) {
			cur, _ := e.S.Incidents.Get(ctx, na, in.ID)
			_, err := e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version, To: incident.Closed})
			mustCode(t, err, apperr.Invalid, "to")
			cur, err = e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version, To: incident.Contained, At: e.Clock.T.Add(-20 * time.Minute)})
			if err != nil || cur.ContainedAt == nil {
				t.Fatalf("contain: %v", err)
			}
			_, err = e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version - 1, To: incident.Recovered})
			mustCode(t, err, apperr.Conflict, "")
			until := e.Clock.T.Add(7 * 24 * time.Hour)
			if cur, err = e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version, To: incident.Recovered, MonitoringUntil: &until}); err != nil {
				t.Fatal(err)
			}
			if cur, err = e.S.Incidents.SetRootCause(ctx, chief, in.ID, cur.Version, "VPN装置の脆弱性が未修正であった"); err != nil {
				t.Fatal(err)
			}
			_, err = e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version, To: incident.Closed})
			mustCode(t, err, apperr.Invalid, "to") // 4(8): still monitored

			// 5(1)(2): 統括 drafts; the pack's recurrence_plan kind says the CISO approves.
			if cur, err = e.S.Incidents.DraftPlan(ctx, chief, in.ID, cur.Version, "脆弱性情報の収集と適用手順を実施手順に追加する"); err != nil {
				t.Fatal(err)
			}
			if len(cur.Plan.Steps) != 1 || cur.Plan.Steps[0] != "ciso" || cur.Plan.Cite == "" || e.notices(incident.NoticePlan, in.ID) != 1 {
				t.Fatalf("plan %+v", cur.Plan)
			}
			_, err = e.S.Incidents.ApprovePlan(ctx, na, in.ID, cur.Version, "")
			mustCode(t, err, apperr.Forbidden, "plan")
			_, err = e.S.Incidents.AnnouncePlan(ctx, ciso, in.ID, cur.Version, "概要")
			mustCode(t, err, apperr.Invalid, "plan")
			if cur, err = e.S.Incidents.ApprovePlan(ctx, ciso, in.ID, cur.Version, "有効と認める"); err != nil || !cur.Plan.Approved() {
				t.Fatalf("approve %v", err)
			}
			if cur, err = e.S.Incidents.AnnouncePlan(ctx, ciso, in.ID, cur.Version, "VPN装置への不正アクセスがあった"); err != nil || cur.Plan.AnnouncedAt == nil {
				t.Fatalf("announce %v", err)
			}
			if e.notices(incident.NoticeAnnounced, in.ID) != 1 {
				t.Fatal("staff were not told of the plan")
			}

			_, err = e.S.Incidents.DecidePublication(ctx, e.clerk, in.ID, incident.PublicationInput{Version: cur.Version, Publish: true, Reason: "x"})
			mustCode(t, err, apperr.Forbidden, "")
			_, err = e.S.Incidents.DecidePublication(ctx, ciso, in.ID, incident.PublicationInput{Version: cur.Version, Publish: true})
			mustCode(t, err, apperr.Invalid, "reason")
			if cur, err = e.S.Incidents.DecidePublication(ctx, ciso, in.ID, incident.PublicationInput{Version: cur.Version, Publish: true,
				Reason: "住民の個人情報に影響のおそれ"}); err != nil || cur.Publication.Via != "報道機関への通知・公表" {
				t.Fatalf("publication %+v %v", cur.Publication, err)
			}

			_, err = e.S.Incidents.LogPoliceContact(ctx, na, in.ID, cur.Version, incident.PoliceContact{Agency: "福岡県警察", Means: "phone"})
			mustCode(t, err, apperr.Invalid, "crime")
			if cur, err = e.S.Incidents.MarkCrime(ctx, na, in.ID, cur.Version, "ファイアウォール及びVPN装置のログを保全"); err != nil {
				t.Fatal(err)
			}
			if cur, err = e.S.Incidents.LogPoliceContact(ctx, na, in.ID, cur.Version, incident.PoliceContact{Agency: "福岡県警察 サイバー犯罪対策課",
				Person: "担当警部補", Means: "phone", Reference: "R8-123"}); err != nil || len(cur.Crime.Contacts) != 1 {
				t.Fatalf("police %v", err)
			}

			e.Clock.T = until.Add(time.Hour)
			if cur, err = e.S.Incidents.Advance(ctx, na, in.ID, incident.Progress{Version: cur.Version, To: incident.Closed}); err != nil || cur.State != incident.Closed {
				t.Fatalf("close %v", err)
			}
			st, err := e.S.Incidents.Statistics(ctx, ciso, in.DetectedAt.Add(-time.Hour), e.Clock.T)
			if err != nil || st.Total != 1 || st.Lines[0].ToContain == nil || st.Lines[0].ToReport != time.Hour || !st.Lines[0].PlanApproved {
				t.Fatalf("stats %+v %v", st, err)
			}
		})
		e.VerifyAudit()
	})
}

func TestBadReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "abira-kyoiku")
		good := map[string]any{"occurred_at": e.Clock.T.Add(-time.Hour).Format(time.RFC3339), "place": "第一小学校 職員室", "content": "USBメモリ紛失"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for a, b := range good {
				m[a] = b
			}
			m[k] = v
			if v == nil {
				delete(m, k)
			}
			return m
		}
		for _, c := range []struct {
			name, field string
			in          incident.ReportInput
		}{
			{"no title", "title", incident.ReportInput{Items: good, DetectedAt: e.Clock.T}},
			{"detected in the future", "detected_at", incident.ReportInput{Title: "x", Items: good, DetectedAt: e.Clock.T.Add(time.Hour)}},
			{"no detection time", "detected_at", incident.ReportInput{Title: "x", Items: good}},
			{"missing required item", "items.place", incident.ReportInput{Title: "x", Items: with("place", nil), DetectedAt: e.Clock.T}},
			{"bad datetime", "items.occurred_at", incident.ReportInput{Title: "x", Items: with("occurred_at", "昨日"), DetectedAt: e.Clock.T}},
			{"unknown item", "items.color", incident.ReportInput{Title: "x", Items: with("color", "red"), DetectedAt: e.Clock.T}},
			{"outside report without contact", "outside.contact", incident.ReportInput{Title: "x", Items: good, DetectedAt: e.Clock.T, Outside: &incident.OutsideReport{Reporter: "住民"}}},
			{"dangerous attachment", "evidence[0]", incident.ReportInput{Title: "x", Items: good, DetectedAt: e.Clock.T,
				Evidence: []incident.NewEvidence{{Name: "photo.jpg.scr", ContentType: "image/jpeg", Body: []byte{0xff, 0xd8, 0xff}}}}},
		} {
			_, err := e.S.Incidents.Report(ctx, e.clerk, c.in)
			if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field() != c.field {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		list, total, err := e.S.Incidents.List(ctx, e.Holder("cio@org"), incident.Filter{})
		if err != nil || total != 0 || len(list) != 0 || e.AuditCount("incident.report") != 0 {
			t.Fatalf("a refused report left %d incidents (%v)", total, err)
		}
		// 5(3)②-style outside report: recorded by the staff member who received it.
		in, err := e.S.Incidents.Report(ctx, e.clerk, incident.ReportInput{Title: "保護者から不審メールの連絡", Items: good, DetectedAt: e.Clock.T,
			Outside: &incident.OutsideReport{Reporter: "保護者 山田", Contact: "090-0000-0000"}})
		if err != nil || in.Outside == nil || in.ReporterID != e.clerk.StaffID || in.Timeline[1].Kind != "reported_outside" {
			t.Fatalf("outside report %+v %v", in, err)
		}
		// 第56条第1項(6): the plan is approved by 情報ネットワーク管理者, then 最高情報統括責任者.
		sm := e.Holder("security_manager@d:" + itoa(e.DeptA))
		in, err = e.S.Incidents.Triage(ctx, sm, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "important_incident", Severity: "low"})
		if err != nil {
			t.Fatal(err)
		}
		in, err = e.S.Incidents.DraftPlan(ctx, sm, in.ID, in.Version, "フィルタ設定の見直し")
		if err != nil || strings.Join(in.Plan.Steps, ",") != "network_admin,cio" {
			t.Fatalf("plan %+v %v", in.Plan, err)
		}
		_, err = e.S.Incidents.ApprovePlan(ctx, e.Holder("cio@org"), in.ID, in.Version, "")
		mustCode(t, err, apperr.Forbidden, "plan")
	})
}
