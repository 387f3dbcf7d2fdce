package incident_test

import (
	"context"
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// 上毛町's report items include 記録 (緊急時対応計画 3(1)④), a file: a report is made with what is
// known — 分かっていることだけで構いません — and its records may follow as evidence. The reporter
// may say which category they think it is; triage decides.
func TestReportWithoutAFileAndWithACategory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		items := map[string]any{"situation": "不審なメールの添付を開いた", "suspected_act": "標的型メール", "damage": "不明"}
		in, err := e.S.Incidents.Report(ctx, e.clerk, incident.ReportInput{Title: "不審メール", Items: items, DetectedAt: e.Clock.T, Category: "crime"})
		if err != nil || in.Category != "crime" || len(in.Evidence) != 0 {
			t.Fatalf("a report without a file: %+v %v", in.Category, err)
		}
		_, err = e.S.Incidents.Report(ctx, e.clerk, incident.ReportInput{Title: "x", Items: items, DetectedAt: e.Clock.T, Category: "weather"})
		if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field() != "category" {
			t.Fatalf("an unknown category: %v", err)
		}
		delete(items, "situation")
		_, err = e.S.Incidents.Report(ctx, e.clerk, incident.ReportInput{Title: "x", Items: items, DetectedAt: e.Clock.T})
		if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field() != "items.situation" {
			t.Fatalf("a required text item is still required: %v", err)
		}
	})
}

// A member of staff who is 情報システム管理者 of three systems is one person: told once of a
// report and named once in the 緊急連絡網.
func TestHolderOfThreeSystemsIsNamedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		holder := e.Holder("system_admin@s:SYS1")
		for _, sys := range []string{"SYS2", "SYS3"} {
			if _, err := e.S.Org.AssignRole(ctx, e.Admin, org.RoleAssignment{RoleID: "system_admin", Scope: "system", SystemRef: sys,
				HolderStaffID: holder.StaffID}); err != nil {
				t.Fatal(err)
			}
		}
		in := e.report(e.clerk, "サーバの異常")
		told, err := e.S.Incidents.ToldOf(ctx, e.clerk, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range told {
			if n := strings.Count(strings.Join(c.Names, "\n"), holder.Name); n > 1 {
				t.Errorf("%s names %s %d times: %v", c.Contact, holder.Name, n, c.Names)
			}
		}
		list, err := e.S.Incidents.Contacts(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list.Contacts {
			n := 0
			for _, h := range c.Holders {
				if h.StaffID == holder.StaffID {
					n++
				}
			}
			if c.ID == "system_admin" && n != 1 {
				t.Errorf("the contact list names the holder of three systems %d times", n)
			}
		}
	})
}
