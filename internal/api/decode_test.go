package api

import (
	"net/http"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/textcheck"
)

func TestJSONWithBadTextIsRefusedNamingTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		count := func() int {
			var n int
			if err := db.SQL.QueryRow(`SELECT count(*) FROM departments`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		for name, body := range map[string]string{
			"NUL":                          `{"code": "2000", "name": "総務\u0000課", "kind": "division"}`,
			"escape sequence":              `{"code": "2000", "name": "\u001b[2J", "kind": "division"}`,
			"right-to-left override":       `{"code": "2000", "name": "総務課\u202e", "kind": "division"}`,
			"lone high surrogate":          `{"code": "2000", "name": "\ud800", "kind": "division"}`,
			"lone low surrogate":           `{"code": "2000", "name": "a\udc00b", "kind": "division"}`,
			"high surrogate then a letter": `{"code": "2000", "name": "\ud83dA", "kind": "division"}`,
			"invalid UTF-8":                "{\"code\": \"2000\", \"name\": \"\xff\xfe\", \"kind\": \"division\"}",
			"CESU-8 bytes":                 "{\"code\": \"2000\", \"name\": \"\xed\xa0\xbd\xed\xb4\x92\", \"kind\": \"division\"}",
		} {
			t.Run(name, func(t *testing.T) {
				rec := f.do("POST", "/api/v1/departments", f.admin, body)
				e := apiError(t, rec, http.StatusBadRequest, "malformed")
				if e.Field != "name" || len(e.Fields) != 1 || e.Fields[0].Field != "name" {
					t.Fatalf("error %+v does not name the field", e)
				}
			})
		}
		t.Run("the message is in the caller's language", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/departments", f.tokenFor("en-reader", "en", true), `{"code": "2000", "name": "\u0000", "kind": "division"}`)
			if e := apiError(t, rec, http.StatusBadRequest, "malformed"); e.Message != "name must not contain control characters (such as NUL)." {
				t.Fatalf("message %q", e.Message)
			}
		})
		t.Run("nothing was created", func(t *testing.T) {
			if n := count(); n != before {
				t.Fatalf("%d departments, want %d", n, before)
			}
		})
		t.Run("good text with a surrogate pair and escapes is taken", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/departments", f.admin, `{"code": "2000", "name": "総務課 \ud83d\udd12 \\ud800 \"x\"", "kind": "division"}`)
			if rec.Code != http.StatusCreated {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		})
	})
}

func TestJSONTextNamesNestedMembers(t *testing.T) {
	for body, want := range map[string]struct {
		field string
		p     textcheck.Problem
	}{
		`{"kind": "take_out", "fields": {"purpose": "a\u0000"}}`:        {"fields.purpose", textcheck.Control},
		`{"fields": {"list": ["ok", "\u2066x"]}, "after": 1}`:           {"fields.list", textcheck.Bidi},
		`{"a": [{"b": 1}, {"c": "\ud800"}]}`:                            {"a.c", textcheck.Surrogate},
		`{"a": {"b": {}}, "c": "\u0007"}`:                               {"c", textcheck.Control},
		`{"fields": {"x\u0000y": "v"}}`:                                 {`fields.x\u0000y`, textcheck.Control},
		`["\u202e"]`:                                                    {"", textcheck.Bidi},
		"{\"note\": \"line one\\nline two\\ttab\", \"n\": \"\\u0000\"}": {"n", textcheck.Control},
	} {
		err := jsonText([]byte(body))
		e := apperr.As(err)
		if err == nil || e.Code != apperr.Malformed || e.Field() != want.field || e.Key != want.p.Key() {
			t.Errorf("%s: %v, want %s on %q", body, err, want.p.Key(), want.field)
		}
	}
	for _, good := range []string{
		`{"note": "line one\nline two\ttab", "emoji": "\ud83d\udd12", "path": "C:\\ud800"}`,
		`{"a": [1, 2.5, true, null, "x"], "b": {"c": []}}`,
		`{"broken": `, // a syntax error is the decoder's to report
		``,
	} {
		if err := jsonText([]byte(good)); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}
