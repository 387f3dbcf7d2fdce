package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func send(t *testing.T, rawURL string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res, b.String()
}

func TestBadTextInTheRequestIsRefusedNamingTheParameter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, srv, _ := start(t, db)
		cases := []struct {
			name, target, field string
			header              map[string]string
		}{
			{"NUL in a search", "/assets?q=%00", "q", nil},
			{"NUL in a parameter name", "/assets?%00x=1", `\u0000x`, nil},
			{"escape sequence", "/requests?state=%1B%5B31m", "state", nil},
			{"invalid UTF-8", "/assets?q=%FF%FE", "q", nil},
			{"CESU-8 surrogate", "/incidents?q=%ED%A0%80", "q", nil},
			{"right-to-left override", "/assets?location=%E2%80%AEfdp.exe", "location", nil},
			{"isolate", "/audit?entity=%E2%81%A6x%E2%81%A9", "entity", nil},
			{"NUL in the path", "/assets/%00", "path", nil},
			{"bidi in the user agent", "/assets", "User-Agent", map[string]string{"User-Agent": "Mozilla\u202E"}},
			{"invalid UTF-8 in Accept-Language", "/assets", "Accept-Language", map[string]string{"Accept-Language": "ja\xff"}},
		}
		for _, c := range cases {
			t.Run("web: "+c.name, func(t *testing.T) {
				res, body := send(t, srv.URL+c.target, c.header)
				if res.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400\n%.500s", res.StatusCode, body)
				}
				if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					t.Fatalf("content type %q", res.Header.Get("Content-Type"))
				}
				if want := "「" + c.field + "」"; !strings.Contains(body, want) {
					t.Fatalf("the page does not name %s:\n%.3000s", want, body)
				}
				if res.Header.Get("Content-Security-Policy") == "" {
					t.Fatal("the refusal lacks the security headers")
				}
			})
			t.Run("api: "+c.name, func(t *testing.T) {
				target := "/api/v1" + c.target
				res, body := send(t, srv.URL+target, c.header)
				if res.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400\n%.500s", res.StatusCode, body)
				}
				var got struct {
					Error struct{ Code, Message, Field string }
				}
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, body)
				}
				if got.Error.Code != "malformed" || got.Error.Field != c.field || !strings.Contains(got.Error.Message, c.field) {
					t.Fatalf("error %+v, want code malformed naming %q", got.Error, c.field)
				}
			})
		}
		t.Run("the message is in English for an English reader", func(t *testing.T) {
			_, body := send(t, srv.URL+"/api/v1/assets?q=%00", map[string]string{"Accept-Language": "en"})
			if !strings.Contains(body, "q must not contain control characters") {
				t.Fatalf("%s", body)
			}
			_, body = send(t, srv.URL+"/assets?q=%00", map[string]string{"Cookie": "mamori_lang=en"})
			if !strings.Contains(body, "must not contain control characters") {
				t.Fatalf("%.3000s", body)
			}
			_, body = send(t, srv.URL+"/assets?q=%00", nil)
			if !strings.Contains(body, "制御文字") {
				t.Fatalf("%.3000s", body)
			}
		})
		t.Run("good text passes", func(t *testing.T) {
			res, _ := send(t, srv.URL+"/assets?q=%E7%AB%AF%E6%9C%AB", nil) // 端末
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want the sign-in redirect", res.StatusCode)
			}
			res, _ = send(t, srv.URL+"/api/v1/assets?q=%E7%AB%AF%E6%9C%AB&marks=%E2%80%8F", nil) // an RLM is a mark
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", res.StatusCode)
			}
		})
	})
}
