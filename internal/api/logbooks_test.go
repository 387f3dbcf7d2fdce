package api

import (
	"context"
	"log/slog"
	"net/http"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// logbookAPI is the API in front of an organisation on 上毛町's pack, with two members of 総務課,
// one of 税務課 and an auditor, each with a token.
type logbookAPI struct {
	*fixture
	soumu, zeimu int64
	asset        int64
	tokens       map[string]string
	staff        map[string]int64
}

func newLogbookAPI(t *testing.T, db *store.DB) *logbookAPI {
	t.Helper()
	ctx := context.Background()
	svcs := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := svcs.Bootstrap(ctx, app.Setup{OrgCode: "koge", OrgName: "テスト町", PackID: "koge"})
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(first.Org.ID, "test")
	h := New(svcs, Options{Logger: slog.New(slog.NewTextHandler(&syncBuffer{}, nil))})
	f := &logbookAPI{fixture: &fixture{t: t, db: db, svcs: svcs, h: h, orgID: first.Org.ID}, tokens: map[string]string{}, staff: map[string]int64{}}
	for _, d := range []struct {
		code, name string
		id         *int64
	}{{"100", "総務課", &f.soumu}, {"200", "税務課", &f.zeimu}} {
		made, err := svcs.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: d.code, Name: d.name, Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		*d.id = made.ID
	}
	for _, p := range []struct {
		login string
		dept  int64
		role  string
	}{{"ichiro", f.soumu, ""}, {"jiro", f.soumu, ""}, {"zeimu", f.zeimu, ""}, {"kansa", f.soumu, "chief_auditor"}} {
		st, err := svcs.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: p.dept, EmployeeNo: "E-" + p.login, Name: p.login, Employment: "regular", Active: true})
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
		f.staff[p.login] = st.ID
	}
	if err := db.SQL.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, created_at, updated_at)
		VALUES ($1, 'SV-001', '基幹系サーバ', 'server', $2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`, f.orgID, f.soumu).Scan(&f.asset); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLogbookAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newLogbookAPI(t, db)
		const entries = "/api/v1/logbooks/system_change_record/entries"

		books := decodeAs[list[logbookInfo]](t, f.do("GET", "/api/v1/logbooks", f.tokens["ichiro"], nil), http.StatusOK)
		found := false
		for _, b := range books.Items {
			if b.ID == "system_change_record" {
				found = b.SecondPerson && b.CanWrite && b.Cite.Article != ""
			}
		}
		if !found || books.Total != len(books.Items) {
			t.Fatalf("logbooks = %+v", books)
		}

		body := map[string]any{"fields": map[string]any{"system": f.asset, "at": "2026-03-30T09:15:00+09:00",
			"work": "基幹系サーバのパッチ適用", "worker": f.staff["ichiro"], "confirmer": f.staff["jiro"]}}
		bad := map[string]any{"fields": map[string]any{"system": f.asset, "at": "2026-03-30T09:15:00+09:00",
			"work": "作業", "worker": 999999, "confirmer": f.staff["jiro"]}}
		if e := apiError(t, f.do("POST", entries, f.tokens["ichiro"], bad), http.StatusUnprocessableEntity, "invalid"); len(e.Fields) == 0 || e.Fields[0].Field != "fields.worker" {
			t.Fatalf("error = %+v", e)
		}
		apiError(t, f.do("POST", entries, f.tokens["kansa"], body), http.StatusForbidden, "forbidden")
		apiError(t, f.do("POST", entries, f.tokens["zeimu"], map[string]any{"department_id": f.soumu, "fields": body["fields"]}), http.StatusForbidden, "forbidden")

		rec := f.do("POST", entries, f.tokens["ichiro"], body)
		made := decodeAs[logbook.Entry](t, rec, http.StatusCreated)
		if made.Status != logbook.Pending || made.DepartmentID != f.soumu || made.Display["system"] != "SV-001 基幹系サーバ" || rec.Header().Get("Location") != entries+"/"+itoa64(made.ID) {
			t.Fatalf("made = %+v", made)
		}
		confirm := entries + "/" + itoa64(made.ID) + "/confirm"
		apiError(t, f.do("POST", confirm, f.tokens["ichiro"], nil), http.StatusForbidden, "forbidden")
		apiError(t, f.do("POST", confirm, f.tokens["kansa"], nil), http.StatusForbidden, "forbidden")
		apiError(t, f.do("POST", confirm, f.tokens["zeimu"], nil), http.StatusNotFound, "not_found")

		pending := decodeAs[list[logbook.Entry]](t, f.do("GET", entries+"?unconfirmed=true", f.tokens["kansa"], nil), http.StatusOK)
		if pending.Total != 1 {
			t.Fatalf("pending = %+v", pending)
		}
		done := decodeAs[logbook.Entry](t, f.do("POST", confirm, f.tokens["jiro"], nil), http.StatusOK)
		if done.Status != logbook.Confirmed || done.ConfirmedBy != "jiro" || done.ConfirmedAt == nil {
			t.Fatalf("confirmed = %+v", done)
		}
		apiError(t, f.do("POST", confirm, f.tokens["jiro"], nil), http.StatusConflict, "conflict")
		pending = decodeAs[list[logbook.Entry]](t, f.do("GET", entries+"?unconfirmed=true", f.tokens["kansa"], nil), http.StatusOK)
		if pending.Total != 0 {
			t.Fatalf("pending after confirmation = %+v", pending)
		}
		all := decodeAs[list[logbook.Entry]](t, f.do("GET", entries+"?q=パッチ&from=2026-03-30&to=2026-03-30", f.tokens["jiro"], nil), http.StatusOK)
		if all.Total != 1 || all.Items[0].ID != made.ID {
			t.Fatalf("list = %+v", all)
		}
		if none := decodeAs[list[logbook.Entry]](t, f.do("GET", entries, f.tokens["zeimu"], nil), http.StatusOK); none.Total != 0 {
			t.Fatalf("another department reads %d entries", none.Total)
		}
		apiError(t, f.do("GET", "/api/v1/logbooks/no_such_book/entries", f.tokens["jiro"], nil), http.StatusNotFound, "not_found")
	})
}
