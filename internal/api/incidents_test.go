package api

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// incidentAPI is the API in front of a town on 上毛町's pack, on a clock the test moves: a clerk
// of 総務課 (ichiro), a clerk of 税務課 (zeimu), the ネットワーク管理者 who triages (netadmin), the
// CISO and the 統括情報セキュリティ責任者 (chief), each with a token.
type incidentAPI struct {
	*fixture
	now    time.Time
	sys    access.Actor
	tokens map[string]string
	staff  map[string]int64
}

func newIncidentAPI(t *testing.T, db *store.DB) *incidentAPI {
	t.Helper()
	ctx := context.Background()
	f := &incidentAPI{now: time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC), tokens: map[string]string{}, staff: map[string]int64{}}
	svcs := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return f.now })
	first, err := svcs.Bootstrap(ctx, app.Setup{OrgCode: "koge", OrgName: "テスト町", PackID: "koge"})
	if err != nil {
		t.Fatal(err)
	}
	f.sys = access.System(first.Org.ID, "test")
	h := New(svcs, Options{Logger: slog.New(slog.NewTextHandler(&syncBuffer{}, nil))})
	f.fixture = &fixture{t: t, db: db, svcs: svcs, h: h, orgID: first.Org.ID}
	depts := map[string]int64{}
	for _, d := range []struct{ code, name string }{{"100", "総務課"}, {"200", "税務課"}} {
		made, err := svcs.Org.CreateDepartment(ctx, f.sys, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		depts[d.code] = made.ID
	}
	for _, p := range []struct{ login, dept, role string }{{"ichiro", "100", ""}, {"zeimu", "200", ""},
		{"netadmin", "100", "network_admin"}, {"ciso", "100", "ciso"}, {"chief", "100", "chief"}} {
		f.person(f.sys, depts[p.dept], p.login, p.role)
	}
	return f
}

// person adds a member of staff of who's organisation with an account, a token and a role.
func (f *incidentAPI) person(sys access.Actor, dept int64, login, role string) {
	f.t.Helper()
	ctx := context.Background()
	st, err := f.svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: "E-" + login, Name: login,
		Employment: "regular", Active: true})
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		if _, err := f.svcs.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
			f.t.Fatal(err)
		}
	}
	u, _, err := f.svcs.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: st.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	if f.tokens[login], err = ownToken(ctx, f.svcs, u); err != nil {
		f.t.Fatal(err)
	}
	f.staff[login] = st.ID
}

// multipartPost posts text parts and one file part.
func (f *incidentAPI) multipartPost(path, token string, values map[string]string, fileField, fileName, fileType string, body []byte) *httptest.ResponseRecorder {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range values {
		if err := mw.WriteField(k, v); err != nil {
			f.t.Fatal(err)
		}
	}
	if fileField != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+fileField+`"; filename="`+fileName+`"`)
		h.Set("Content-Type", fileType)
		pw, err := mw.CreatePart(h)
		if err != nil {
			f.t.Fatal(err)
		}
		pw.Write(body)
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

// report files a report as login with the log file 上毛町's pack requires (3(1)④ 記録).
func (f *incidentAPI) report(login, title string) incident.Incident {
	f.t.Helper()
	body := `{"title": "` + title + `", "detected_at": "` + f.now.Add(-time.Hour).Format(time.RFC3339) + `", "items": {"situation": "不審なメール",
		"suspected_act": "標的型攻撃", "damage": "調査中"}}`
	rec := f.multipartPost("/api/v1/incidents", f.tokens[login], map[string]string{"report": body}, "file.records", "log.txt", "text/plain",
		[]byte("2026-04-01 09:55 alert\n"))
	return decodeAs[incident.Incident](f.t, rec, http.StatusCreated)
}

func findLine(t *testing.T, list []incident.ChecklistStep, from, to string) incident.ChecklistStep {
	t.Helper()
	for _, n := range list {
		if n.From == from && n.To == to {
			return n
		}
	}
	t.Fatalf("no %s>%s in the checklist", from, to)
	return incident.ChecklistStep{}
}

func TestIncidentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newIncidentAPI(t, db)
		tok := f.tokens

		// Reporting: the pack's required items are required, its 記録 (a file) may follow as
		// evidence; a report with it is saved and listed.
		e := apiError(t, f.do("POST", "/api/v1/incidents", tok["ichiro"], map[string]any{"title": "x", "detected_at": f.now.Add(-time.Minute),
			"items": map[string]any{"suspected_act": "b", "damage": "c"}}), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "items.situation" {
			t.Fatalf("field %q", e.Field)
		}
		e = apiError(t, f.do("POST", "/api/v1/incidents", tok["ichiro"], map[string]any{"title": "x", "detected_at": f.now.Add(time.Hour),
			"items": map[string]any{}}), http.StatusUnprocessableEntity, "invalid")
		if e.Field == "" {
			t.Fatalf("no field named: %+v", e)
		}
		in := f.report("ichiro", "不審メールの開封")
		if in.State != incident.Reported || len(in.Evidence) != 1 || in.ReporterID != f.staff["ichiro"] {
			t.Fatalf("reported %+v", in)
		}
		path := incidentPath(in.ID)
		if got := decodeAs[list[incident.Incident]](t, f.do("GET", "/api/v1/incidents?state=active", tok["netadmin"], nil), http.StatusOK); got.Total != 1 {
			t.Fatalf("netadmin lists %d", got.Total)
		}
		apiError(t, f.do("GET", path, tok["zeimu"], nil), http.StatusNotFound, "not_found")
		apiError(t, f.do("GET", "/api/v1/incidents?state=bogus", tok["ciso"], nil), http.StatusUnprocessableEntity, "invalid")

		// Triage by the first recipient; a clerk does not see it to triage.
		triage := map[string]any{"version": in.Version, "is_incident": true, "category": "serious_damage", "severity": "critical"}
		apiError(t, f.do("POST", path+"/triage", tok["zeimu"], triage), http.StatusNotFound, "not_found")
		in = decodeAs[incident.Incident](t, f.do("POST", path+"/triage", tok["netadmin"], triage), http.StatusOK)
		if in.State != incident.Open || len(in.Checklist) == 0 {
			t.Fatalf("triaged %+v", in)
		}
		// A stale version: 409.
		apiError(t, f.do("POST", path+"/root-cause", tok["ciso"], map[string]any{"version": 1, "root_cause": "x"}), http.StatusConflict, "conflict")

		// Ticks: only whoever must make the report.
		toChief := findLine(t, in.Checklist, "network_admin", "chief")
		tick := path + "/checklist/" + itoa64(toChief.ID) + "/tick"
		apiError(t, f.do("POST", tick, tok["ciso"], map[string]any{"means": "phone"}), http.StatusForbidden, "forbidden")
		e = apiError(t, f.do("POST", tick, tok["netadmin"], map[string]any{"means": "pigeon"}), http.StatusUnprocessableEntity, "invalid")
		if e.Field != "means" {
			t.Fatalf("field %q", e.Field)
		}
		n := decodeAs[incident.ChecklistStep](t, f.do("POST", tick, tok["netadmin"], map[string]any{"means": "phone", "note": "電話で報告"}), http.StatusOK)
		if n.State != "done" || n.DoneByID != f.staff["netadmin"] {
			t.Fatalf("ticked %+v", n)
		}
		apiError(t, f.do("POST", path+"/checklist/999999/tick", tok["netadmin"], map[string]any{"means": "phone"}), http.StatusNotFound, "not_found")

		// A day later the reports due 速やかに are overdue, for those who see the incident.
		f.now = f.now.Add(25 * time.Hour)
		over := decodeAs[list[incident.ChecklistStep]](t, f.do("GET", "/api/v1/incidents-overdue", tok["ciso"], nil), http.StatusOK)
		found := false
		for _, o := range over.Items {
			found = found || (o.From == "network_admin" && o.To == "security_manager" && o.Overdue)
			if o.ID == toChief.ID {
				t.Fatal("a ticked report is overdue")
			}
		}
		if !found {
			t.Fatalf("overdue %+v", over.Items)
		}
		if got := decodeAs[list[incident.ChecklistStep]](t, f.do("GET", "/api/v1/incidents-overdue", tok["zeimu"], nil), http.StatusOK); got.Total != 0 {
			t.Fatalf("a clerk of another department sees %d overdue", got.Total)
		}

		// Evidence: uploaded as multipart, downloaded as a file that cannot run as a page.
		ev := decodeAs[incident.Evidence](t, f.multipartPost(path+"/evidence", tok["netadmin"], map[string]string{"description": "プロキシログ"},
			"file", "proxy.csv", "text/csv", []byte("time,host\n09:55,evil.example\n")), http.StatusCreated)
		if ev.SHA256 == "" || ev.Size == 0 || ev.CollectedByID != f.staff["netadmin"] {
			t.Fatalf("evidence %+v", ev)
		}
		for _, bad := range []struct{ name, typ, body string }{{"page.html", "text/html", "<html><script>alert(1)</script></html>"},
			{"invoice.pdf.exe", "application/pdf", "%PDF-1.4"}, {"report.pdf", "application/pdf", "<html><body>x</body></html>"}} {
			apiError(t, f.multipartPost(path+"/evidence", tok["netadmin"], nil, "file", bad.name, bad.typ, []byte(bad.body)),
				http.StatusUnprocessableEntity, "invalid")
		}
		rec := f.do("GET", path+"/evidence/"+itoa64(ev.ID), tok["ichiro"], nil)
		if rec.Code != http.StatusOK || rec.Body.String() != "time,host\n09:55,evil.example\n" {
			t.Fatalf("download %d %q", rec.Code, rec.Body)
		}
		for k, want := range map[string]string{"Content-Type": "text/csv", "Content-Disposition": `attachment; filename=proxy.csv`,
			"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		apiError(t, f.do("GET", path+"/evidence/"+itoa64(ev.ID), tok["zeimu"], nil), http.StatusNotFound, "not_found")

		// The response: a measure, a note, containment, root cause, recovery.
		measure := map[string]any{"measure": "network_cut", "conditions": []int{0}, "note": "該当端末をLANから切断"}
		apiError(t, f.do("POST", path+"/measures", tok["ichiro"], measure), http.StatusForbidden, "forbidden")
		decodeAs[incident.Event](t, f.do("POST", path+"/measures", tok["netadmin"], measure), http.StatusCreated)
		decodeAs[incident.Event](t, f.do("POST", path+"/timeline", tok["ichiro"], map[string]any{"text": "メールの送信元を確認"}), http.StatusCreated)
		cur := decodeAs[incident.Incident](t, f.do("GET", path, tok["ciso"], nil), http.StatusOK)
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/recovery", tok["ciso"], map[string]any{"version": cur.Version, "to": "contained"}), http.StatusOK)
		if cur.State != incident.Contained || cur.ContainedAt == nil {
			t.Fatalf("contained %+v", cur)
		}
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/root-cause", tok["ciso"], map[string]any{"version": cur.Version,
			"root_cause": "添付ファイルの開封"}), http.StatusOK)
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/plan", tok["chief"], map[string]any{"action": "draft", "version": cur.Version,
			"text": "標的型メール訓練を年2回実施する"}), http.StatusOK)
		apiError(t, f.do("POST", path+"/plan", tok["chief"], map[string]any{"action": "approve", "version": cur.Version}), http.StatusForbidden, "forbidden")
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/plan", tok["ciso"], map[string]any{"action": "approve", "version": cur.Version}), http.StatusOK)
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/plan", tok["ciso"], map[string]any{"action": "announce", "version": cur.Version,
			"summary": "不審メールの開封事案"}), http.StatusOK)
		if !cur.Plan.Approved() || cur.Plan.AnnouncedAt == nil {
			t.Fatalf("plan %+v", cur.Plan)
		}
		cur = decodeAs[incident.Incident](t, f.do("POST", path+"/police", tok["ciso"], map[string]any{"version": cur.Version, "records_kept": "通信ログ",
			"contact": map[string]any{"agency": "県警察本部", "means": "phone"}}), http.StatusOK)
		if cur.Crime == nil || len(cur.Crime.Contacts) != 1 {
			t.Fatalf("crime %+v", cur.Crime)
		}
		decodeAs[incident.Stats](t, f.do("GET", "/api/v1/incident-stats?from=2026-01-01", tok["ciso"], nil), http.StatusOK)

		t.Run("a restricted incident is not found by others", func(t *testing.T) {
			r := f.report("ichiro", "職員による不正な持ち出し")
			rp := incidentPath(r.ID)
			r = decodeAs[incident.Incident](t, f.do("POST", rp+"/triage", tok["ciso"], map[string]any{"version": r.Version, "is_incident": true,
				"category": "other_damage", "severity": "high", "restricted": true}), http.StatusOK)
			if !r.Restricted {
				t.Fatal("not restricted")
			}
			for _, who := range []string{"zeimu", "netadmin"} {
				apiError(t, f.do("GET", rp, tok[who], nil), http.StatusNotFound, "not_found")
				got := decodeAs[list[incident.Incident]](t, f.do("GET", "/api/v1/incidents", tok[who], nil), http.StatusOK)
				for _, x := range got.Items {
					if x.ID == r.ID {
						t.Fatalf("%s lists the restricted incident", who)
					}
				}
			}
			for _, who := range []string{"ichiro", "chief", "ciso"} {
				decodeAs[incident.Incident](t, f.do("GET", rp, tok[who], nil), http.StatusOK)
			}
		})

		t.Run("緊急連絡網 and phone numbers", func(t *testing.T) {
			apiError(t, f.do("GET", "/api/v1/emergency-contacts", tok["zeimu"], nil), http.StatusForbidden, "forbidden")
			cl := decodeAs[incident.ContactList](t, f.do("GET", "/api/v1/emergency-contacts", tok["ciso"], nil), http.StatusOK)
			if cl.Warnings == 0 {
				t.Fatal("no warnings without any number")
			}
			if rec := f.do("PUT", "/api/v1/staff/"+itoa64(f.staff["ciso"])+"/phone", tok["ciso"], map[string]any{"phone": "０９３０−００−００００"}); rec.Code != http.StatusNoContent {
				t.Fatalf("phone %d %s", rec.Code, rec.Body)
			}
			apiError(t, f.do("PUT", "/api/v1/emergency-contacts/police", tok["ciso"], map[string]any{"phone": "電話"}), http.StatusUnprocessableEntity, "invalid")
			if rec := f.do("PUT", "/api/v1/emergency-contacts/police", tok["ciso"], map[string]any{"phone": "0120-000-000", "note": "県警"}); rec.Code != http.StatusNoContent {
				t.Fatalf("contact number %d %s", rec.Code, rec.Body)
			}
			after := decodeAs[incident.ContactList](t, f.do("GET", "/api/v1/emergency-contacts", tok["ciso"], nil), http.StatusOK)
			if after.Warnings >= cl.Warnings {
				t.Fatalf("warnings %d then %d", cl.Warnings, after.Warnings)
			}
		})

		t.Run("upward to the parent's CSIRT", func(t *testing.T) {
			ctx := context.Background()
			apiError(t, f.do("POST", path+"/upward", tok["ciso"], map[string]any{"version": cur.Version}), http.StatusUnprocessableEntity, "invalid")
			pref, err := f.svcs.Org.CreateOrganization(ctx, access.System(0, "test"), org.NewOrganization{Code: "pref", Name: "テスト県", Kind: "prefecture"})
			if err != nil {
				t.Fatal(err)
			}
			psys := access.System(pref.ID, "test")
			if _, err := f.svcs.Policy.Use(ctx, psys, "yamagata"); err != nil {
				t.Fatal(err)
			}
			d, err := f.svcs.Org.CreateDepartment(ctx, psys, org.DepartmentInput{Code: "900", Name: "情報政策課", Kind: "section"})
			if err != nil {
				t.Fatal(err)
			}
			f.person(psys, d.ID, "kencsirt", "csirt_manager")
			f.person(psys, d.ID, "kenclerk", "")
			if _, err := f.svcs.Org.SetParent(ctx, f.sys, f.orgID, f.orgID); err == nil {
				t.Fatal("an organisation became its own parent")
			}
			if _, err := f.svcs.Org.SetParent(ctx, f.sys, f.orgID, pref.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svcs.Org.SetParent(ctx, psys, pref.ID, f.orgID); err == nil {
				t.Fatal("a cycle of parents was allowed")
			}
			apiError(t, f.do("GET", path, tok["kencsirt"], nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("POST", path+"/upward", tok["netadmin"], map[string]any{"version": cur.Version}), http.StatusForbidden, "forbidden")
			up := decodeAs[incident.Incident](t, f.do("POST", path+"/upward", tok["ciso"], map[string]any{"version": cur.Version, "note": "県へ報告"}), http.StatusOK)
			if up.UpwardOrgID != pref.ID {
				t.Fatalf("upward to %d", up.UpwardOrgID)
			}
			decodeAs[incident.Incident](t, f.do("GET", path, tok["kencsirt"], nil), http.StatusOK)
			apiError(t, f.do("GET", path, tok["kenclerk"], nil), http.StatusNotFound, "not_found")
			got := decodeAs[list[incident.Incident]](t, f.do("GET", "/api/v1/incidents?upward=true", tok["kencsirt"], nil), http.StatusOK)
			if got.Total != 1 || got.Items[0].ID != in.ID {
				t.Fatalf("upward list %+v", got)
			}
			sup := decodeAs[incident.Event](t, f.do("POST", path+"/support", tok["kencsirt"], map[string]any{"text": "解析要員を派遣"}), http.StatusCreated)
			if sup.ActorOrgID != pref.ID {
				t.Fatalf("support %+v", sup)
			}
			apiError(t, f.do("POST", path+"/support", tok["kenclerk"], map[string]any{"text": "x"}), http.StatusNotFound, "not_found")
			apiError(t, f.do("GET", path+"/evidence/"+itoa64(ev.ID), tok["kencsirt"], nil), http.StatusNotFound, "not_found")
		})

		res, err := f.svcs.Audit.Verify(context.Background(), f.sys)
		if err != nil || !res.OK() {
			t.Fatalf("audit chain %+v %v", res, err)
		}
	})
}
