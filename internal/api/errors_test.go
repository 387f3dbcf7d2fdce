package api

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestInternalErrorsDoNotLeak(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		db.Close()

		for _, req := range []struct{ method, path, lang string }{
			{"GET", "/api/v1/me", ""},
			{"GET", "/api/v1/departments", "en"},
		} {
			rec := f.do(req.method, req.path, f.admin, nil, "Accept-Language", req.lang)
			e := apiError(t, rec, http.StatusInternalServerError, "internal")
			want := "システムエラーが発生しました。時間をおいて再度お試しください。"
			if req.lang == "en" {
				want = "An internal error occurred. Please try again later."
			}
			if e.Message != want || e.Field != "" || len(e.Fields) != 0 {
				t.Errorf("error %+v", e)
			}
			body := strings.ToLower(rec.Body.String())
			for _, leak := range []string{"sql", "closed", "database", "token", "pgx", "sqlite"} {
				if strings.Contains(body, leak) {
					t.Errorf("body leaks %q: %s", leak, rec.Body)
				}
			}
		}
		logs := f.logs.String()
		if !strings.Contains(logs, "database is closed") || !strings.Contains(logs, "path=/api/v1/me") || !strings.Contains(logs, "method=GET") {
			t.Errorf("the detail was not logged: %s", logs)
		}
	})
}

func TestPanicsAreInternalErrors(t *testing.T) {
	logs := &syncBuffer{}
	a := &api{log: slog.New(slog.NewTextHandler(logs, nil))}
	boom := route{method: "GET", path: "/boom", auth: noAuth, handle: func(w http.ResponseWriter, r *http.Request) error {
		panic("boom: secret detail")
	}}
	f := &fixture{t: t, h: a.wrap(boom)}
	rec := f.do("GET", "/boom", "", nil)
	apiError(t, rec, http.StatusInternalServerError, "internal")
	if strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("body leaks the panic: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "boom: secret detail") {
		t.Errorf("the panic was not logged: %s", logs)
	}
}
