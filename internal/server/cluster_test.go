package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestTwoInstancesShareOnePostgreSQL runs two servers, each with its own connection pool, on one
// PostgreSQL database, as two `mamori serve` processes behind a load balancer would.
func TestTwoInstancesShareOnePostgreSQL(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var servers [2]*httptest.Server
	var services [2]*app.Services
	for i := range servers {
		db, err := store.Open(ctx, store.Config{DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		services[i] = app.New(db, cheap, nil)
		if _, err := services[i].Bootstrap(ctx, app.Setup{OrgCode: "t", OrgName: "テスト県"}); err != nil {
			t.Fatal(err)
		}
		servers[i] = httptest.NewServer(New(services[i], Options{}))
		t.Cleanup(servers[i].Close)
	}
	var orgs int
	services[0].DB.SQL.QueryRow(`SELECT count(*) FROM organizations`).Scan(&orgs)
	if orgs != 1 {
		t.Fatalf("two first starts made %d organisations", orgs)
	}
	o, _ := services[0].Org.First(ctx)
	sys := access.System(o.ID, "test")
	_, temp, err := services[0].Auth.CreateUser(ctx, sys, auth.NewUser{Login: "clerk", DisplayName: "職員", PlatformAdmin: false})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(base, path string, form url.Values) *http.Response {
		t.Helper()
		res, err := client.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	// The cookie jar is keyed by host: both test servers are on 127.0.0.1, so the session
	// cookie set by one is sent to the other, as behind a load balancer.
	t.Run("a session made on one instance works on the other", func(t *testing.T) {
		if res := post(servers[0].URL, "/login", url.Values{"login": {"clerk"}, "password": {temp}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", res.StatusCode)
		}
		pw := "二つのサーバで共有されるパスワード"
		if res := post(servers[1].URL, "/account/password", url.Values{"current": {temp}, "new": {pw}, "confirm": {pw}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("password change on the second instance: %d", res.StatusCode)
		}
		res, err := client.Get(servers[0].URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "ホーム") {
			t.Fatalf("home on the first instance: %d", res.StatusCode)
		}
	})
	t.Run("concurrent writes through both leave one chain that verifies", func(t *testing.T) {
		before, _ := auditlog.Verify(ctx, services[0].DB.SQL, o.ID)
		const perInstance = 40
		var wg sync.WaitGroup
		errs := make(chan error, 2*perInstance)
		for i := range services {
			for j := 0; j < perInstance; j++ {
				wg.Add(1)
				go func(i, j int) {
					defer wg.Done()
					_, err := services[i].Org.CreateDepartment(ctx, sys, deptInput(fmt.Sprintf("d%d-%d", i, j)))
					errs <- err
				}(i, j)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := auditlog.Verify(ctx, services[1].DB.SQL, o.ID)
		if err != nil || !r.OK() {
			t.Fatalf("chain: %+v %v", r.Problem, err)
		}
		if r.Entries != before.Entries+2*perInstance {
			t.Fatalf("chain has %d entries, want %d", r.Entries, before.Entries+2*perInstance)
		}
	})
}
