package api

import (
	"net/http"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestRequestProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const path = "/api/v1/departments"

		t.Run("a body over the limit is 413", func(t *testing.T) {
			body := `{"code":"1","name":"` + strings.Repeat("あ", DefaultMaxBodyBytes/3+1) + `","kind":"division"}`
			apiError(t, f.do("POST", path, f.admin, body), http.StatusRequestEntityTooLarge, "too_large")
		})

		t.Run("a body that is not JSON by its type is 415", func(t *testing.T) {
			for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", ""} {
				rec := f.do("POST", path, f.admin, `{"code":"1","name":"x","kind":"division"}`, "Content-Type", ct)
				apiError(t, rec, http.StatusUnsupportedMediaType, "unsupported_media_type")
			}
		})

		t.Run("JSON with a charset is fine", func(t *testing.T) {
			rec := f.do("POST", path, f.admin, `{"code":"c1","name":"x","kind":"division"}`, "Content-Type", "application/json; charset=utf-8")
			if rec.Code != http.StatusCreated {
				t.Errorf("status %d %s", rec.Code, rec.Body)
			}
		})

		t.Run("an unknown field is 422 naming it", func(t *testing.T) {
			rec := f.do("POST", path, f.admin, `{"code":"1","name":"x","kind":"division","colour":"red"}`)
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "colour" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("active is unknown when creating", func(t *testing.T) {
			rec := f.do("POST", path, f.admin, `{"code":"1","name":"x","kind":"division","active":false}`)
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "active" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("a wrong type is 422 naming the field", func(t *testing.T) {
			rec := f.do("POST", path, f.admin, `{"code":"1","name":"x","kind":"division","sort_order":"first"}`)
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "sort_order" {
				t.Errorf("field %q", e.Field)
			}
		})

		for name, body := range map[string]string{
			"malformed":  `{"code":`,
			"empty":      ``,
			"an array":   `[]`,
			"two values": `{} {}`,
			"trailing":   `{} x`,
		} {
			t.Run(name+" JSON is 422", func(t *testing.T) {
				apiError(t, f.do("POST", path, f.admin, body), http.StatusUnprocessableEntity, "invalid")
			})
		}

		t.Run("an unknown route is 404 JSON", func(t *testing.T) {
			for _, p := range []string{"/api/v1/nothing", "/api/v2/me", "/api/", "/api/v1/users/1/explode"} {
				apiError(t, f.do("GET", p, f.admin, nil), http.StatusNotFound, "not_found")
			}
		})

		t.Run("a known path with another method is 405 JSON with Allow", func(t *testing.T) {
			rec := f.do("DELETE", "/api/v1/departments", f.admin, nil)
			apiError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
			if allow := rec.Header().Get("Allow"); allow != "GET, POST" {
				t.Errorf("Allow = %q", allow)
			}
			rec = f.do("PATCH", "/api/v1/users/1", f.admin, `{}`)
			apiError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
		})

		t.Run("ids that are not positive integers are 404", func(t *testing.T) {
			for _, id := range []string{"abc", "0", "-1", "1.5", "99999999999999999999"} {
				apiError(t, f.do("GET", "/api/v1/users/"+id, f.admin, nil), http.StatusNotFound, "not_found")
			}
		})

		t.Run("a user agent that is not UTF-8 does not break the audit log", func(t *testing.T) {
			rec := f.do("POST", path, f.admin, `{"code":"sjis","name":"x","kind":"division"}`, "User-Agent", "DoCoMo/2.0 \x83\x65\x83\x58\x83\x67")
			if rec.Code != http.StatusCreated {
				t.Errorf("status %d %s", rec.Code, rec.Body)
			}
		})

		t.Run("answers are not cached", func(t *testing.T) {
			rec := f.do("GET", "/api/v1/me", f.admin, nil)
			if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", rec.Header())
			}
		})
	})
}

func TestAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                         "ja",
		"en":                       "en",
		"en-US,en;q=0.9":           "en",
		"ja,en;q=0.8":              "ja",
		"en;q=0.5,ja":              "ja",
		"fr,en;q=0.3":              "en",
		"fr":                       "ja",
		"EN-gb":                    "en",
		"en;q=0,ja;q=0.1":          "ja",
		"de, en-US;q=0.7, *;q=0.5": "en",
	} {
		if got := acceptLanguage(header); string(got) != want {
			t.Errorf("acceptLanguage(%q) = %s, want %s", header, got, want)
		}
	}
}
