package incident_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func sees(t *testing.T, e *env, who access.Actor, id int64) bool {
	t.Helper()
	_, err := e.S.Incidents.Get(context.Background(), who, id)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		t.Fatal(err)
	}
	list, _, lerr := e.S.Incidents.List(context.Background(), who, incident.Filter{})
	if lerr != nil {
		t.Fatal(lerr)
	}
	listed := false
	for _, in := range list {
		listed = listed || in.ID == id
	}
	if listed != (err == nil) {
		t.Fatalf("Get and List disagree for %s: get %v, listed %v", who.Name, err, listed)
	}
	return err == nil
}

func TestRestrictedVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		in := e.report(e.clerk, "職員による個人情報の持ち出しの疑い")
		smA := e.Holder("security_manager@d:" + itoa(e.DeptA))
		smB := e.Holder("security_manager@d:" + itoa(e.DeptB))
		ciso, csirt, member := e.Holder("ciso@org"), e.Holder("csirt_member@org"), e.Holder("csirt_lead@org")
		netAdmin, auditor := e.Holder("network_admin@org"), e.Holder("audit_chief@org")
		admin := access.Actor{OrgID: e.Org, UserID: 1, Login: "admin", PlatformAdmin: true}

		// Before triage: the reporter, the first recipients, security roles of the department.
		for _, c := range []struct {
			who  access.Actor
			want bool
		}{{e.clerk, true}, {e.clerkB, false}, {smA, true}, {smB, false}, {ciso, true}, {csirt, true}, {netAdmin, false}, {auditor, true}, {admin, false}} {
			if got := sees(t, e, c.who, in.ID); got != c.want {
				t.Fatalf("unrestricted: %s sees %v, want %v", c.who.Name, got, c.want)
			}
		}
		_, err := e.S.Incidents.AddNote(ctx, auditor, in.ID, time.Time{}, "監査人のメモ")
		mustCode(t, err, apperr.Forbidden, "")
		if _, err := e.S.Incidents.AddNote(ctx, e.clerk, in.ID, time.Time{}, "USBメモリの持ち出しを目撃した"); err != nil {
			t.Fatalf("the reporter adds to the timeline: %v", err)
		}
		photo, err := e.S.Incidents.AddEvidence(ctx, e.clerk, in.ID, incident.NewEvidence{Name: "メモ.txt", ContentType: "text/plain", Body: []byte("15時ごろ")})
		if err != nil {
			t.Fatalf("the reporter adds evidence: %v", err)
		}

		in, err = e.S.Incidents.Triage(ctx, member, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true, Category: "incident", Severity: "high", Restricted: true})
		if err != nil {
			t.Fatal(err)
		}
		// Restricted: reporter, named handlers and organisation-wide security roles only.
		for _, c := range []struct {
			who  access.Actor
			want bool
		}{{e.clerk, true}, {e.clerkB, false}, {smA, false}, {smB, false}, {ciso, true}, {csirt, true}, {member, true}, {netAdmin, false}, {auditor, false}, {admin, false}} {
			if got := sees(t, e, c.who, in.ID); got != c.want {
				t.Fatalf("restricted: %s sees %v, want %v", c.who.Name, got, c.want)
			}
		}
		_, _, err = e.S.Incidents.EvidenceBody(ctx, smA, in.ID, photo.ID)
		mustCode(t, err, apperr.NotFound, "")
		// A handler named by the CSIRT sees it.
		if err := e.S.Incidents.AddHandler(ctx, member, in.ID, smA.StaffID); err != nil {
			t.Fatal(err)
		}
		if !sees(t, e, smA, in.ID) {
			t.Fatal("a named handler does not see the restricted incident")
		}
		if err := e.S.Incidents.AddHandler(ctx, smA, in.ID, smB.StaffID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a handler named others: %v", err)
		}
	})
}

func TestUpwardAndContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		// 山形県 over the town: a second organisation on the yamagata pack, the town's parent.
		pref, err := e.S.Org.CreateOrganization(ctx, access.System(0, "test"), org.NewOrganization{Code: "pref", Name: "テスト県", Kind: "prefecture"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Policy.Use(ctx, access.System(pref.ID, "test"), "yamagata"); err != nil {
			t.Fatal(err)
		}
		p := orgEnv(t, e.S, e.Clock, pref.ID)
		in := opened(t, e)
		ciso := e.Holder("ciso@org")
		_, err = e.S.Incidents.ReportUpward(ctx, ciso, in.ID, in.Version, "")
		mustCode(t, err, apperr.Invalid, "upward")
		if _, err := db.SQL.Exec(`UPDATE organizations SET parent_id = $1 WHERE id = $2`, pref.ID, e.Org); err != nil {
			t.Fatal(err)
		}
		_, err = e.S.Incidents.ReportUpward(ctx, e.Holder("network_admin@org"), in.ID, in.Version, "")
		mustCode(t, err, apperr.Forbidden, "upward")
		in, err = e.S.Incidents.ReportUpward(ctx, ciso, in.ID, in.Version, "県CSIRTへ報告")
		if err != nil || in.UpwardOrgID != pref.ID {
			t.Fatalf("upward %v", err)
		}
		// 2.1(10)⑦: the CSIRT 管理者 of the prefecture sees it and adds support; others there do not.
		mgr := p.Holder("csirt_manager@org")
		if _, err := e.S.Incidents.Get(ctx, mgr, in.ID); err != nil {
			t.Fatalf("the parent's CSIRT does not see it: %v", err)
		}
		if list, _, _ := e.S.Incidents.List(ctx, mgr, incident.Filter{Upward: true}); len(list) != 1 {
			t.Fatalf("upward list %d", len(list))
		}
		for _, who := range []access.Actor{p.clerk, p.Holder("press_officer@d:" + itoa(p.DeptA))} {
			if _, err := e.S.Incidents.Get(ctx, who, in.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("%s of the parent sees it: %v", who.Name, err)
			}
			if _, err := e.S.Incidents.Support(ctx, who, in.ID, time.Time{}, "x"); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("%s of the parent adds support: %v", who.Name, err)
			}
		}
		_, err = e.S.Incidents.Support(ctx, mgr, in.ID, time.Time{}, "")
		mustCode(t, err, apperr.Invalid, "text")
		ev, err := e.S.Incidents.Support(ctx, mgr, in.ID, time.Time{}, "県CSIRTから解析支援要員を派遣")
		if err != nil || ev.ActorOrgID != pref.ID {
			t.Fatalf("support %+v %v", ev, err)
		}
		full, _ := e.S.Incidents.Get(ctx, ciso, in.ID)
		if last := full.Timeline[len(full.Timeline)-1]; last.Kind != "support" || last.ActorOrgID != pref.ID {
			t.Fatalf("timeline %+v", last)
		}
		var n int
		db.SQL.QueryRow(`SELECT count(*) FROM notices WHERE org_id = $1 AND kind = $2`, pref.ID, incident.NoticeUpward).Scan(&n)
		if n != 1 || e.notices(incident.NoticeSupport, in.ID) != 1 {
			t.Fatalf("notices upward %d support %d", n, e.notices(incident.NoticeSupport, in.ID))
		}
		e.VerifyAudit()
		p.VerifyAudit()

		t.Run("緊急連絡網 warns of roles without holder and holders without a number", func(t *testing.T) {
			_, err := e.S.Incidents.Contacts(ctx, e.clerk)
			mustCode(t, err, apperr.Forbidden, "")
			list, err := e.S.Incidents.Contacts(ctx, ciso)
			if err != nil {
				t.Fatal(err)
			}
			line := func(id string) incident.ContactLine {
				for _, l := range list.Contacts {
					if l.ID == id {
						return l
					}
				}
				t.Fatalf("no contact %s", id)
				return incident.ContactLine{}
			}
			if w := line("ciso").Warnings; len(w) != 1 || w[0] != "no_number" {
				t.Fatalf("ciso warnings %v", w)
			}
			if w := line("police").Warnings; len(w) != 1 || w[0] != "no_number" {
				t.Fatalf("police warnings %v", w)
			}
			err = e.S.Incidents.SetStaffPhone(ctx, e.clerk, ciso.StaffID, "0930-00-0000")
			mustCode(t, err, apperr.Forbidden, "phone")
			err = e.S.Incidents.SetStaffPhone(ctx, ciso, ciso.StaffID, "電話して")
			mustCode(t, err, apperr.Invalid, "phone")
			if err := e.S.Incidents.SetStaffPhone(ctx, ciso, ciso.StaffID, "０９３０−１２−３４５６"); err != nil {
				t.Fatal(err)
			}
			if err := e.S.Incidents.SetContactNumber(ctx, ciso, "police", "110", "緊急時"); err == nil {
				t.Fatal("a three-digit number was taken")
			}
			if err := e.S.Incidents.SetContactNumber(ctx, ciso, "police", "092-641-4141", "福岡県警察本部"); err != nil {
				t.Fatal(err)
			}
			roles, _ := e.S.Org.Roles(ctx, e.Admin)
			for _, ra := range roles {
				if ra.RoleID == "chief" {
					if err := e.S.Org.EndRole(ctx, e.Admin, ra.ID, "2026-03-31"); err != nil {
						t.Fatal(err)
					}
				}
			}
			list, _ = e.S.Incidents.Contacts(ctx, ciso)
			if w := line("ciso").Warnings; len(w) != 0 || line("ciso").Holders[0].Phone != "0930-12-3456" {
				t.Fatalf("ciso %+v", line("ciso"))
			}
			if w := line("police").Warnings; len(w) != 0 || line("police").Phone != "092-641-4141" {
				t.Fatalf("police %+v", line("police"))
			}
			if w := line("chief").Warnings; len(w) != 1 || w[0] != "no_holder" {
				t.Fatalf("chief %+v", line("chief"))
			}
		})
	})
}
