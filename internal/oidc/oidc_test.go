package oidc_test

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/oidc"
	"mamori/internal/oidc/oidctest"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const base = "http://mamori.test"

var client = auth.Client{RemoteAddr: "192.0.2.7", UserAgent: "test"}

type fixture struct {
	t   *testing.T
	db  *store.DB
	idp *oidctest.Provider
	svc *oidc.Service
	org int64
}

func newFixture(t *testing.T, db *store.DB, cfg oidc.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: db, idp: oidctest.Start(t)}
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO organizations (code, name, created_at) VALUES ('t', '試験町', $1) RETURNING id`,
			time.Now().UTC()).Scan(&f.org); err != nil {
			return err
		}
		return auditlog.Start(ctx, tx, f.org)
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = f.idp.Issuer()
	}
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = f.idp.ClientID, f.idp.ClientSecret
	}
	f.svc = oidc.New(db, cfg)
	if err := f.svc.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// signIn runs the flow as a browser would: Start, the provider's authorization page (which
// signs the person in at once), and Finish with what the provider sent back.
func (f *fixture) signIn(p oidctest.Person, spoil func(cb *oidc.Callback)) (oidc.Result, error) {
	f.t.Helper()
	ctx := context.Background()
	f.idp.Next(p)
	st, err := f.svc.Start(ctx, base, "/assets?x=1")
	if err != nil {
		f.t.Fatal(err)
	}
	back := f.authorize(st.URL)
	cb := oidc.Callback{Query: back.Query(), Key: st.Key, Base: base}
	if spoil != nil {
		spoil(&cb)
	}
	return f.svc.Finish(ctx, cb, client)
}

// authorize follows the provider's authorization address and returns where it sends the
// browser back to.
func (f *fixture) authorize(u string) *url.URL {
	f.t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(u)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		f.t.Fatalf("authorization answered %d", res.StatusCode)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != oidc.CallbackPath || back.Host != "mamori.test" {
		f.t.Fatalf("sent back to %q", res.Header.Get("Location"))
	}
	return back
}

// lastFailure is the reason of the newest failed sign-in in the audit log.
func (f *fixture) lastFailure() string {
	f.t.Helper()
	var after string
	err := f.db.SQL.QueryRow(`SELECT after_json FROM audit_entries WHERE org_id = $1 AND action = 'auth.login_failed' ORDER BY seq DESC LIMIT 1`, f.org).Scan(&after)
	if err != nil {
		f.t.Fatalf("no failure recorded: %v", err)
	}
	return after
}

func person() oidctest.Person {
	return oidctest.Person{Subject: "a1b2c3", Login: "yamada.taro@town.example.lg.jp", Name: "山田 太郎", Email: "yamada@town.example.lg.jp",
		Extra: map[string]any{"department": "総務課", "groups": []string{"情報政策担当", "全職員"}, "employee_number": 10234, "amr": []string{"pwd"}}}
}

func TestSignInReadsTheClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, oidc.Config{})
		res, err := f.signIn(person(), nil)
		if err != nil {
			t.Fatal(err)
		}
		id := res.Identity
		if id.Source != "oidc" || id.Subject != "a1b2c3" || id.Login != "yamada.taro@town.example.lg.jp" || id.Name != "山田 太郎" ||
			id.Email != "yamada@town.example.lg.jp" || id.EmployeeNo != "10234" || id.Department != "総務課" ||
			len(id.Groups) != 2 || id.Groups[0] != "情報政策担当" || id.MFA {
			t.Fatalf("identity %+v", id)
		}
		if res.Next != "/assets?x=1" || res.OrgID != f.org {
			t.Fatalf("next %q org %d", res.Next, res.OrgID)
		}
		// The flow is used once: the same callback again is refused.
		if _, err := f.svc.Finish(context.Background(), oidc.Callback{Key: "replayed", Query: url.Values{"state": {"x"}, "code": {"y"}}}, client); apperr.As(err).Key != "oidc.error.state" {
			t.Fatalf("replay: %v", err)
		}
	})
}

func TestMappedClaimNames(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), oidc.Config{DepartmentClaim: "extension_dept", GroupsClaim: "roles", EmployeeClaim: "employeeid"})
	p := person()
	p.Extra = map[string]any{"extension_dept": []string{"税務課", "本庁"}, "roles": "Mamori.Approver", "employeeid": "E-77", "department": "ignored"}
	res, err := f.signIn(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if id := res.Identity; id.Department != "税務課" || len(id.Groups) != 1 || id.Groups[0] != "Mamori.Approver" || id.EmployeeNo != "E-77" {
		t.Fatalf("identity %+v", id)
	}
}

func TestMFAOnlyWhenTheTokenSaysSo(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), oidc.Config{MFAACR: []string{"urn:town:acr:mfa"}})
	cases := []struct {
		name string
		amr  any
		acr  string
		want bool
	}{
		{"password only", []string{"pwd"}, "", false},
		{"no amr", nil, "", false},
		{"mfa", []string{"pwd", "mfa"}, "", true},
		{"one-time code", []string{"pwd", "otp"}, "", true},
		{"hardware key", []string{"hwk"}, "", true},
		{"fido", []string{"fido"}, "", true},
		{"listed acr", []string{"pwd"}, "urn:town:acr:mfa", true},
		{"unlisted acr", []string{"pwd"}, "1", false},
		{"amr as one string", "mfa", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.t = t
			p := person()
			p.Extra = map[string]any{"acr": c.acr}
			if c.amr != nil {
				p.Extra["amr"] = c.amr
			}
			res, err := f.signIn(p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Identity.MFA != c.want {
				t.Fatalf("MFA %v, want %v", res.Identity.MFA, c.want)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, oidc.Config{})
		cases := []struct {
			name    string
			person  func(p *oidctest.Person)
			before  func()
			spoil   func(cb *oidc.Callback)
			key     string
			reason  string
			hasNext bool
		}{
			{name: "another flow's state", spoil: func(cb *oidc.Callback) { cb.Query.Set("state", "forged") },
				key: "oidc.error.state", reason: "oidc_state_mismatch", hasNext: true},
			{name: "no cookie", spoil: func(cb *oidc.Callback) { cb.Key = "" }, key: "oidc.error.state", reason: "oidc_no_flow_cookie"},
			{name: "someone else's cookie", spoil: func(cb *oidc.Callback) { cb.Key = "x" }, key: "oidc.error.state", reason: "oidc_unknown_flow"},
			{name: "wrong nonce", person: func(p *oidctest.Person) { p.Nonce = "another" }, key: "oidc.error.token", reason: "oidc_nonce_mismatch", hasNext: true},
			{name: "token for another client", person: func(p *oidctest.Person) { p.Audience = "another-client" },
				key: "oidc.error.token", reason: "oidc_wrong_audience", hasNext: true},
			{name: "expired token", person: func(p *oidctest.Person) { p.Expired = true }, key: "oidc.error.token_expired", reason: "oidc_token_expired", hasNext: true},
			{name: "forged token", before: f.idp.Forge, key: "oidc.error.token", reason: "oidc_bad_signature", hasNext: true},
			{name: "refused by the provider", before: f.idp.Deny, key: "oidc.error.denied", reason: "oidc_access_denied", hasNext: true},
			{name: "code not the provider's", spoil: func(cb *oidc.Callback) { cb.Query.Set("code", "made-up") },
				key: "oidc.error.provider", reason: "oidc_code_exchange", hasNext: true},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f.t = t
				p := person()
				if c.person != nil {
					c.person(&p)
				}
				if c.before != nil {
					c.before()
				}
				res, err := f.signIn(p, c.spoil)
				e := apperr.As(err)
				if e.Code != apperr.Unauthenticated || e.Key != c.key {
					t.Fatalf("got %v, want %s", err, c.key)
				}
				if res.Identity.Subject != "" {
					t.Fatalf("an identity came through: %+v", res.Identity)
				}
				if got := f.lastFailure(); !strings.Contains(got, `"reason":"`+c.reason+`"`) || !strings.Contains(got, `"source":"oidc"`) {
					t.Fatalf("audit %s, want reason %s", got, c.reason)
				}
				if c.hasNext && res.Next != "/assets?x=1" {
					t.Fatalf("next %q", res.Next)
				}
			})
		}
	})
}

func TestFlowExpires(t *testing.T) {
	now := time.Now()
	f := newFixture(t, storetest.SQLite(t), oidc.Config{})
	f.svc.Now = func() time.Time { return now }
	f.idp.Next(person())
	st, err := f.svc.Start(context.Background(), base, "/")
	if err != nil {
		t.Fatal(err)
	}
	back := f.authorize(st.URL)
	now = now.Add(oidc.FlowTTL + time.Minute)
	_, err = f.svc.Finish(context.Background(), oidc.Callback{Query: back.Query(), Key: st.Key, Base: base}, client)
	if apperr.As(err).Key != "oidc.error.expired" {
		t.Fatalf("got %v", err)
	}
}

func TestProviderDown(t *testing.T) {
	db := storetest.SQLite(t)
	idp := oidctest.Start(t)
	issuer := idp.Issuer()
	idp.Shutdown()
	svc := oidc.New(db, oidc.Config{Issuer: issuer, ClientID: "mamori"})
	if err := svc.Discover(context.Background()); err == nil {
		t.Fatal("discovery of a stopped provider succeeded")
	}
	if svc.Ready() {
		t.Fatal("ready without a provider")
	}
	_, err := svc.Start(context.Background(), base, "/")
	if e := apperr.As(err); e.Code != apperr.Unauthenticated || e.Key != "oidc.error.unavailable" {
		t.Fatalf("start: %v", err)
	}
}

func TestConfigCheck(t *testing.T) {
	for _, c := range []oidc.Config{
		{ClientID: "x"},
		{Issuer: "ftp://idp", ClientID: "x"},
		{Issuer: "https://idp"},
		{Issuer: "https://idp", ClientID: "x", RedirectURL: "https://mamori/callback"},
	} {
		if c.Check() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := (oidc.Config{Issuer: "https://idp", ClientID: "x", RedirectURL: "https://mamori.example/login/oidc/callback"}).Check(); err != nil {
		t.Error(err)
	}
}

func TestProviderUpLater(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	svc := oidc.New(storetest.SQLite(t), oidc.Config{Issuer: "http://" + addr + "/oidc", ClientID: "mamori"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if svc.Discover(ctx) == nil {
		t.Fatal("discovered a provider that is not there")
	}
	done := make(chan struct{})
	go func() { svc.KeepDiscovering(ctx, 10*time.Millisecond); close(done) }()
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the address was taken meanwhile: %v", err)
	}
	oidctest.StartOn(t, ln)
	<-done
	if !svc.Ready() {
		t.Fatal("not ready once the provider answered")
	}
}
