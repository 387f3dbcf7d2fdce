package incident_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/incident"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestNoticesFollowTheIncidentRule: department A's 情報セキュリティ管理者 is told of a report
// from A with its title. Once the incident is restricted she no longer sees it, and the notice
// — in the list, opened alone, marked read — says only that it was about a record she can no
// longer see, in her language, with no link. The CSIRT, who still sees it, reads the notice as
// it was written.
func TestNoticesFollowTheIncidentRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "toki")
		account := func(a access.Actor, lang string) access.Actor {
			t.Helper()
			u, _, err := e.S.Auth.CreateUser(ctx, e.Admin, auth.NewUser{Login: a.Login, DisplayName: a.Name, StaffID: a.StaffID, Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			a.UserID, a.Lang = u.ID, lang
			return a
		}
		smA := account(e.Holder("security_officer@d:"+itoa(e.DeptA)), "ja")
		csirt := account(e.Holder("csirt@org"), "en")
		const title = "職員による個人情報の持ち出しの疑い"
		in := e.report(e.clerk, title)
		about := func(who access.Actor) []notify.Item {
			t.Helper()
			list, _, err := e.S.Notices.List(ctx, who, notify.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []notify.Item
			for _, it := range list {
				if it.Kind == incident.NoticeReported {
					out = append(out, it)
				}
			}
			if len(out) == 0 {
				t.Fatalf("%s has no notice of the report", who.Name)
			}
			return out
		}
		for _, it := range about(smA) {
			if !strings.Contains(it.Subject, title) || it.Withheld || it.Link != "/incidents/"+strconv.FormatInt(in.ID, 10) {
				t.Fatalf("before restriction A's officer reads %+v", it)
			}
		}

		if _, err := e.S.Incidents.Triage(ctx, e.Holder("csirt@org"), in.ID, incident.TriageInput{Version: in.Version, IsIncident: true,
			Severity: "high", Restricted: true}); err != nil {
			t.Fatal(err)
		}
		for _, it := range about(smA) {
			if strings.Contains(it.Subject+it.Body, title) || !it.Withheld || it.Link != "" || it.RefID != 0 {
				t.Errorf("after restriction A's officer reads %+v", it)
			}
			if it.Subject != "閲覧できなくなった記録についてのお知らせです" {
				t.Errorf("the withheld notice's subject is %q", it.Subject)
			}
			opened, err := e.S.Notices.Get(ctx, smA, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			read, err := e.S.Notices.MarkRead(ctx, smA, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			for name, one := range map[string]notify.Item{"opened": opened, "marked read": read} {
				if strings.Contains(one.Subject+one.Body, title) || one.Link != "" || !one.Withheld {
					t.Errorf("%s, the notice shows A's officer %+v", name, one)
				}
			}
		}
		for _, it := range about(csirt) {
			if !strings.Contains(it.Subject, title) || it.Withheld || it.Link == "" {
				t.Errorf("the CSIRT reads %+v", it)
			}
		}
	})
}
