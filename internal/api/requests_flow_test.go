package api

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// requestAPI is the API in front of an organisation on 上毛町's pack: a clerk of 総務課 with a
// terminal of the highest class, the holder of 統括情報セキュリティ責任者 (security_manager) who
// decides most kinds, and a clerk of 税務課, each with a token.
type requestAPI struct {
	*fixture
	pc     int64
	tokens map[string]string
}

func newRequestAPI(t *testing.T, db *store.DB) *requestAPI {
	t.Helper()
	ctx := context.Background()
	svcs := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := svcs.Bootstrap(ctx, app.Setup{OrgCode: "koge", OrgName: "テスト町", PackID: "koge"})
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(first.Org.ID, "test")
	h := New(svcs, Options{Logger: slog.New(slog.NewTextHandler(&syncBuffer{}, nil))})
	f := &requestAPI{fixture: &fixture{t: t, db: db, svcs: svcs, h: h, orgID: first.Org.ID}, tokens: map[string]string{}}
	depts := map[string]int64{}
	for _, d := range []struct{ code, name string }{{"100", "総務課"}, {"200", "税務課"}} {
		made, err := svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		depts[d.code] = made.ID
	}
	for _, p := range []struct{ login, dept, role string }{{"ichiro", "100", ""}, {"kacho", "100", "security_manager"}, {"zeimu", "200", ""}} {
		st, err := svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: depts[p.dept], EmployeeNo: "E-" + p.login, Name: p.login,
			Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.role != "" {
			if _, err := svcs.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: p.role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
		}
		u, _, err := svcs.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.login, StaffID: st.ID})
		if err != nil {
			t.Fatal(err)
		}
		if f.tokens[p.login], err = ownToken(ctx, svcs, u); err != nil {
			t.Fatal(err)
		}
	}
	pc, err := svcs.Assets.Create(ctx, sys, asset.Input{Number: "PC-001", Name: "業務用端末", Kind: "terminal", DepartmentID: depts["100"],
		Class: map[string]string{"importance": "I"}})
	if err != nil {
		t.Fatal(err)
	}
	f.pc = pc.ID
	return f
}

func (f *requestAPI) sendBody() map[string]any {
	return map[string]any{"kind": "send", "asset_ids": []int64{f.pc}, "fields": map[string]any{"destination": "福岡県", "protection": "暗号化"}}
}

// upload posts a multipart body: the JSON part "request" and one file part.
func (f *requestAPI) upload(path, token, jsonPart, fileField, fileName, fileType string, body []byte) *httptest.ResponseRecorder {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("request", jsonPart); err != nil {
		f.t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+fileField+`"; filename="`+fileName+`"`)
	h.Set("Content-Type", fileType)
	pw, err := mw.CreatePart(h)
	if err != nil {
		f.t.Fatal(err)
	}
	pw.Write(body)
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func ids(items []request.Request) []int64 {
	var out []int64
	for _, r := range items {
		out = append(out, r.ID)
	}
	return out
}

func TestRequestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestAPI(t, db)
		clerk, kacho, zeimu := f.tokens["ichiro"], f.tokens["kacho"], f.tokens["zeimu"]

		kinds := decodeAs[list[map[string]any]](t, f.do("GET", "/api/v1/request-kinds?limit=500", clerk, nil), http.StatusOK)
		if kinds.Total != 22 || kinds.Items[0]["id"] == "" {
			t.Fatalf("kinds: %d", kinds.Total)
		}

		rec := f.do("POST", "/api/v1/requests", clerk, f.sendBody())
		r := decodeAs[request.Request](t, rec, http.StatusCreated)
		if r.State != request.Pending || rec.Header().Get("Location") != "/api/v1/requests/"+itoa64(r.ID) {
			t.Fatalf("created %+v at %q", r.State, rec.Header().Get("Location"))
		}
		path := "/api/v1/requests/" + itoa64(r.ID)

		inbox := decodeAs[list[request.Request]](t, f.do("GET", "/api/v1/inbox", kacho, nil), http.StatusOK)
		if inbox.Total != 1 || inbox.Items[0].ID != r.ID {
			t.Fatalf("the approver's inbox: %v", ids(inbox.Items))
		}
		if other := decodeAs[list[request.Request]](t, f.do("GET", "/api/v1/inbox", zeimu, nil), http.StatusOK); other.Total != 0 {
			t.Fatalf("another clerk's inbox: %v", ids(other.Items))
		}

		t.Run("a user without the role is refused", func(t *testing.T) {
			apiError(t, f.do("POST", path+"/decisions", zeimu, map[string]any{"decision": "approve"}), http.StatusForbidden, "forbidden")
			apiError(t, f.do("POST", path+"/decisions", clerk, map[string]any{"decision": "approve"}), http.StatusForbidden, "forbidden")
			apiError(t, f.do("GET", path, zeimu, nil), http.StatusNotFound, "not_found")
		})

		t.Run("a decision names its field", func(t *testing.T) {
			e := apiError(t, f.do("POST", path+"/decisions", kacho, map[string]any{"decision": "send_back"}), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "comment" {
				t.Fatalf("field %q", e.Field)
			}
			apiError(t, f.do("POST", path+"/decisions", kacho, map[string]any{"decision": "approve", "x": 1}), http.StatusUnprocessableEntity, "invalid")
		})

		r = decodeAs[request.Request](t, f.do("POST", path+"/decisions", kacho,
			map[string]any{"decision": "send_back", "comment": "送信先を具体的に", "version": r.Version}), http.StatusOK)
		if r.State != request.SentBack {
			t.Fatalf("state %s", r.State)
		}
		stale := r.Version
		fields := map[string]any{"destination": "福岡県庁 情報政策課", "protection": "暗号化"}
		r = decodeAs[request.Request](t, f.do("POST", path+"/resubmit", clerk, map[string]any{"fields": fields, "version": r.Version}), http.StatusOK)
		if r.State != request.Pending {
			t.Fatalf("resubmitted: %s", r.State)
		}
		apiError(t, f.do("POST", path+"/decisions", kacho, map[string]any{"decision": "approve", "version": stale}), http.StatusConflict, "conflict")
		r = decodeAs[request.Request](t, f.do("POST", path+"/decisions", kacho, map[string]any{"decision": "approve", "version": r.Version}), http.StatusOK)
		if r.State != request.Approved || len(r.Events) != 4 {
			t.Fatalf("approved: %s with %d events", r.State, len(r.Events))
		}

		t.Run("list and filter", func(t *testing.T) {
			other := decodeAs[request.Request](t, f.do("POST", "/api/v1/requests", clerk, f.sendBody()), http.StatusCreated)
			decodeAs[request.Request](t, f.do("POST", "/api/v1/requests/"+itoa64(other.ID)+"/cancel", clerk, map[string]any{"comment": "不要になった"}), http.StatusOK)
			for _, c := range []struct {
				query, token string
				want         int
			}{
				{"", clerk, 2}, {"?state=approved", clerk, 1}, {"?state=cancelled", clerk, 1}, {"?state=pending", clerk, 0},
				{"?kind=send&mine=true", clerk, 2}, {"?kind=take_out", clerk, 0}, {"", zeimu, 0}, {"", kacho, 2}, {"?mine=true", kacho, 0},
				{"?mine=true&from=2000-01-01", clerk, 2}, {"?mine=true&to=2000-01-01", clerk, 0},
			} {
				l := decodeAs[list[request.Request]](t, f.do("GET", "/api/v1/requests"+c.query, c.token, nil), http.StatusOK)
				if l.Total != c.want || len(l.Items) != c.want {
					t.Errorf("%s: %d requests, want %d", c.query, l.Total, c.want)
				}
			}
			e := apiError(t, f.do("GET", "/api/v1/requests?state=done", clerk, nil), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "state" {
				t.Fatalf("field %q", e.Field)
			}
			if e := apiError(t, f.do("GET", "/api/v1/requests?from=2026-13-40", clerk, nil), http.StatusUnprocessableEntity, "invalid"); e.Field != "from" {
				t.Fatalf("a day that is not one: field %q", e.Field)
			}
		})

		t.Run("attachments are downloads", func(t *testing.T) {
			pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
			body := `{"kind":"send","asset_ids":[` + itoa64(f.pc) + `],"fields":{"destination":"県","protection":"暗号化"}}`
			made := decodeAs[request.Request](t, f.upload("/api/v1/requests", clerk, body, "file", "承認書.pdf", "application/pdf", pdf), http.StatusCreated)
			if len(made.Attachments) != 1 {
				t.Fatalf("attachments %+v", made.Attachments)
			}
			url := "/api/v1/requests/" + itoa64(made.ID) + "/attachments/" + itoa64(made.Attachments[0].ID)
			rec := f.do("GET", url, kacho, nil)
			if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), pdf) {
				t.Fatalf("download %d", rec.Code)
			}
			h := rec.Header()
			if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "application/pdf" {
				t.Errorf("headers %v", h)
			}
			apiError(t, f.do("GET", url, zeimu, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("GET", "/api/v1/requests/"+itoa64(made.ID)+"/attachments/999999", kacho, nil), http.StatusNotFound, "not_found")
			e := apiError(t, f.upload("/api/v1/requests", clerk, body, "file", "page.html", "text/html", []byte("<html><script>alert(1)</script>")),
				http.StatusUnprocessableEntity, "invalid")
			if e.Field != "attachments[0]" {
				t.Fatalf("field %q", e.Field)
			}
			apiError(t, f.upload("/api/v1/requests", clerk, `{"kind":"send","bogus":1}`, "file", "a.pdf", "application/pdf", pdf),
				http.StatusUnprocessableEntity, "invalid")
		})

		t.Run("take out, overdue list and return", func(t *testing.T) {
			today := time.Now().In(i18n.Tokyo).Format(time.DateOnly)
			tr := decodeAs[request.Request](t, f.do("POST", "/api/v1/requests", clerk, map[string]any{"kind": "take_out", "asset_ids": []int64{f.pc},
				"fields": map[string]any{"destination": "県庁", "out_date": today, "return_date": today}}), http.StatusCreated)
			p := "/api/v1/requests/" + itoa64(tr.ID)
			decodeAs[request.Request](t, f.do("POST", p+"/decisions", kacho, map[string]any{"decision": "approve"}), http.StatusOK)
			tr = decodeAs[request.Request](t, f.do("POST", p+"/take-out", clerk, map[string]any{"taken_out_on": today}), http.StatusOK)
			if tr.State != request.TakenOut {
				t.Fatalf("state %s", tr.State)
			}
			if l := decodeAs[list[request.Request]](t, f.do("GET", "/api/v1/overdue", kacho, nil), http.StatusOK); l.Total != 0 {
				t.Fatalf("overdue on its due date: %v", ids(l.Items))
			}
			apiError(t, f.do("POST", p+"/return", zeimu, map[string]any{"returned_on": today}), http.StatusNotFound, "not_found")
			tr = decodeAs[request.Request](t, f.do("POST", p+"/return", clerk, map[string]any{"returned_on": today}), http.StatusOK)
			if tr.State != request.Returned {
				t.Fatalf("state %s", tr.State)
			}
		})
	})
}
