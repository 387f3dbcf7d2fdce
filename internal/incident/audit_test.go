package incident_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditLogKeepsTheIncidentRule: the audit log's entries about an incident and its evidence
// show their values only to those who see the incident now. A platform administrator, who sees
// no incident, reads that they were reported and handled, by whom and when, but not what; once
// the incident is restricted, the auditor reads no more of it either, while its CSIRT does.
func TestAuditLogKeepsTheIncidentRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		in := e.report(e.clerk, "職員による個人情報の持ち出しの疑い")
		if _, err := e.S.Incidents.AddEvidence(ctx, e.clerk, in.ID, incident.NewEvidence{Name: "目撃メモ.txt", ContentType: "text/plain", Body: []byte("15時ごろ")}); err != nil {
			t.Fatal(err)
		}
		auditor, lead := e.Holder("audit_chief@org"), e.Holder("csirt_lead@org")
		admin := access.Actor{OrgID: e.Org, UserID: 1, Login: "admin", PlatformAdmin: true}
		// about returns the entries about the incident and its evidence, by whether their values
		// are shown.
		about := func(who access.Actor) (shown, withheld []auditlog.Entry) {
			t.Helper()
			list, _, err := e.S.Audit.List(ctx, who, auditlog.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range list {
				if (en.Entity != "incident" || en.EntityID != strconv.FormatInt(in.ID, 10)) && en.Entity != "incident_evidence" {
					continue
				}
				if en.Withheld {
					if en.Before != "" || en.After != "" {
						t.Fatalf("a withheld entry keeps its values: %+v", en)
					}
					withheld = append(withheld, en)
				} else {
					shown = append(shown, en)
				}
			}
			return shown, withheld
		}
		noTitle := func(who string, list []auditlog.Entry) {
			t.Helper()
			for _, en := range list {
				if strings.Contains(en.Before+en.After, "持ち出しの疑い") || strings.Contains(en.Before+en.After, "目撃メモ") {
					t.Fatalf("%s reads the incident in %s", who, en.Action)
				}
			}
		}

		shown, withheld := about(admin)
		if len(shown) != 0 || len(withheld) < 2 {
			t.Fatalf("the platform administrator reads %d entries of the incident and has %d withheld", len(shown), len(withheld))
		}
		noTitle("the platform administrator", shown)
		if shown, withheld := about(auditor); len(withheld) != 0 || len(shown) < 2 {
			t.Fatalf("the auditor of an open incident: %d shown, %d withheld", len(shown), len(withheld))
		}

		if _, err := e.S.Incidents.Triage(ctx, lead, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "incident",
			Severity: "high", Restricted: true}); err != nil {
			t.Fatal(err)
		}
		e.Clock.T = e.Clock.T.Add(time.Minute)
		shown, withheld = about(auditor)
		if len(shown) != 0 || len(withheld) < 3 {
			t.Fatalf("the auditor reads %d entries of the restricted incident and has %d withheld", len(shown), len(withheld))
		}
		for _, en := range withheld {
			if en.Actor == "" || en.At.IsZero() || en.Action == "" || en.EntityID == "" {
				t.Fatalf("a withheld entry no longer says who did what when: %+v", en)
			}
		}
		// The CSIRT handles it: the organisation-wide security roles read it all.
		if shown, withheld := about(access.Actor{OrgID: e.Org, UserID: lead.UserID, StaffID: lead.StaffID, Login: lead.Login,
			Roles: append(lead.Roles, access.Grant{RoleID: "audit_chief", Scope: "organization", Auditor: true})}); len(withheld) != 0 || len(shown) < 3 {
			t.Fatalf("the CSIRT lead, reading the audit log: %d shown, %d withheld", len(shown), len(withheld))
		}
		e.VerifyAudit()
	})
}
