package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// listPages are the pages and API listings whose query strings become filters.
var listPages = []string{
	"/api/v1/assets", "/api/v1/requests", "/api/v1/incidents", "/api/v1/audit", "/api/v1/staff", "/api/v1/users",
	"/api/v1/inbox", "/api/v1/overdue", "/api/v1/notices", "/api/v1/incident-stats", "/api/v1/role-assignments",
	"/assets", "/assets/export", "/requests", "/requests/inbox", "/incidents", "/incidents/stats", "/audit", "/staff",
	"/compliance/findings", "/compliance/exceptions", "/notices", "/logbooks/room",
}

// FuzzListFilters sends any query string to every listing, through the whole server, as the
// organisation's CISO: no answer is ever an internal error.
func FuzzListFilters(f *testing.F) {
	ctx := context.Background()
	s := app.New(storetest.SQLite(f), cheap, nil)
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "k", OrgName: "テスト市", PackID: "kishiwada"})
	if err != nil {
		f.Fatal(err)
	}
	sys := access.System(first.Org.ID, "test")
	d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
	if err != nil {
		f.Fatal(err)
	}
	st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: d.ID, EmployeeNo: "1", Name: "市 太郎", Employment: "regular", Active: true})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: "ciso", Scope: "organization", HolderStaffID: st.ID}); err != nil {
		f.Fatal(err)
	}
	_, temp, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: "ciso", DisplayName: "CISO", StaffID: st.ID})
	if err != nil {
		f.Fatal(err)
	}
	client := auth.Client{RemoteAddr: "192.0.2.1"}
	res, err := s.Auth.Login(ctx, "ciso", temp, client)
	if err != nil {
		f.Fatal(err)
	}
	_, who, err := s.Auth.Authenticate(ctx, res.Token, client)
	if err != nil {
		f.Fatal(err)
	}
	const pw = "ファジングの長い合言葉2026"
	if err := s.Auth.ChangePassword(ctx, who, temp, pw, pw); err != nil {
		f.Fatal(err)
	}
	res, err = s.Auth.Login(ctx, "ciso", pw, client)
	if err != nil {
		f.Fatal(err)
	}
	// The pack requires MFA of the CISO: enrol, then issue the CISO's own token.
	if _, who, err = s.Auth.Authenticate(ctx, res.Token, client); err != nil {
		f.Fatal(err)
	}
	enrol, err := s.Auth.BeginMFA(ctx, who, "Mamori")
	if err != nil {
		f.Fatal(err)
	}
	code, err := auth.TOTPCode(enrol.Secret, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.Auth.ConfirmMFA(ctx, who, code); err != nil {
		f.Fatal(err)
	}
	if _, who, err = s.Auth.Authenticate(ctx, res.Token, client); err != nil {
		f.Fatal(err)
	}
	_, token, err := s.Auth.CreateToken(ctx, who, auth.NewToken{Name: "fuzz", Scope: auth.ScopeRead})
	if err != nil {
		f.Fatal(err)
	}

	h := New(s, Options{})
	send := func(path, query string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path, req.URL.RawQuery = path, query
		req.RequestURI = path + "?" + query
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: res.Token})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, p := range []string{"/assets", "/api/v1/assets"} {
		if rec := send(p, ""); rec.Code != http.StatusOK {
			f.Fatalf("%s answers %d to the signed-in CISO", p, rec.Code)
		}
	}

	for _, q := range []string{
		"q=端末&kind=terminal&department_id=1&class.importance=A&zone=L2&state=in_use&limit=10&offset=20",
		"attr.support_end=..2026-03-31&attr.mfa=false&sort=-number&page=2",
		"state=pending&kind=take_out&from=2026-04-01&to=2026-03-31T09:00:00+09:00",
		"entity=asset&entity_id=3&action=asset.delete&actor=admin&from=2026-01-01",
		"severity=high&rule=zone-a-storage&open=1&category=unauthorized&year=2026",
		"limit=-1&offset=99999999999999999999&page=0&department_id=abc",
		"q=%00&state=%E2%80%AE",
		"q=a%zz&;&&=&==",
	} {
		for i := range listPages {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, page uint8, query string) {
		path := listPages[int(page)%len(listPages)]
		rec := send(path, query)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s: %d\n%.500s", path, query, rec.Code, rec.Body)
		}
	})
}
