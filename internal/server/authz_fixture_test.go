package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/web"
	"mamori/packs"
)

// The authorization matrix's organisation: 守町, bound to a pack of its own that extends 土岐市's
// (testdata/matrix-pack), with three departments — 住民課 (X), 税務課 (Y) and 情報政策課, where
// the organisation-wide roles sit — and a second organisation, 隣村, whose CISO must see nothing
// of 守町. Every record that holds something some actor may not see carries canaries: short
// ASCII strings that no page escapes, each planted in one field of one record.

// Actors of the matrix, by the key failure messages name them with.
const (
	staffX   = "staff-X"        // 住民課 主事, no role
	staffY   = "staff-Y"        // 税務課 主事, no role
	secMgrX  = "secmgr-X"       // 住民課長, 情報セキュリティ管理者（所属） of 住民課
	cisoKey  = "ciso"           // CISO
	auditor  = "auditor"        // 情報セキュリティ監査統括責任者
	platform = "platform-admin" // the platform administrator (no staff record)
	netAdmin = "network-admin"  // ネットワーク管理者: organisation-wide, not a security role
	otherOrg = "other-org"      // the CISO of 隣村
)

var actorKeys = []string{staffX, staffY, secMgrX, cisoKey, auditor, platform, netAdmin, otherOrg}

// mActor is one signed-in actor: a browser session and an API token, both through the real
// sign-in.
type mActor struct {
	key    string
	login  string
	userID int64
	client *http.Client // keeps the session cookie; does not follow redirects
	token  string
}

// canary is a string planted in one field of one record, and the actors who may see it.
type canary struct {
	text   string
	record string // the record and field it is planted in
	seenBy map[string]bool
}

// param is one value for a path wildcard, with the record it names.
type param struct{ value, label string }

type matrix struct {
	t        *testing.T
	s        *app.Services
	srv      *httptest.Server
	now      time.Time
	org1     int64
	org2     int64
	sys      access.Actor
	actors   map[string]*mActor
	canaries []canary
	// params are the values each kind of path wildcard is filled with.
	params map[string][]param
	// strangers are, for each record ("kind:id"), the actors to whom it must not exist: a
	// change they ask for is refused and changes nothing.
	strangers map[string][]string
	// planted records the probes name.
	aXTop, aYLow        asset.Asset
	rXTop               request.Request
	deptX, deptY, deptZ int64
	stXID, stX2ID       int64
	stYID, smYStaffID   int64
	cisoStaff           int64
}

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// Who may see what, by the rules of the domain services:
var (
	// the details of X's highest-class asset: X's staff, X's security manager, the CISO, auditors.
	seesXTop = set(staffX, secMgrX, cisoKey, auditor)
	// the details of Y's highest-class asset.
	seesYTop = set(staffY, cisoKey, auditor)
	// X's assets below the highest class: also the platform administrator and the holders of
	// organisation-wide roles.
	seesXLow = set(staffX, secMgrX, cisoKey, auditor, platform, netAdmin)
	seesYLow = set(staffY, cisoKey, auditor, platform, netAdmin)
	// requests: the applicant, the department's security roles, everyone who sees all requests.
	seesXRequest = set(staffX, secMgrX, cisoKey, auditor, platform, netAdmin)
	seesYRequest = set(staffY, cisoKey, auditor, platform, netAdmin)
	// a request of X's ネットワーク管理者 on Y's highest-class asset: X's security manager as
	// the officer of the applicant's department, and everyone who sees all requests.
	seesXNetRequest = set(secMgrX, cisoKey, auditor, platform, netAdmin)
	// the words of a request that names a highest-class asset (its free-text fields, attachments
	// and comments): those who see the request and the asset's details.
	seesXTopRequestWords = set(staffX, secMgrX, cisoKey, auditor)
	seesXNetRequestWords = set(cisoKey, auditor)
	// an incident: its reporter, the department's security manager, the CISO, auditors.
	seesXIncident = set(staffX, secMgrX, cisoKey, auditor)
	seesYIncident = set(staffY, cisoKey, auditor)
	// a restricted incident: its reporter (not an actor here), its handlers and the CISO.
	seesRestricted = set(cisoKey)
	// logbook entries: the department, its roles, every organisation-wide role, the administrator.
	seesXEntry = set(staffX, secMgrX, cisoKey, auditor, platform, netAdmin)
	seesYEntry = set(staffY, cisoKey, auditor, platform, netAdmin)
	// reviews: the organisation-wide security roles, the deciders (the CISO here), the auditors.
	seesReview = set(cisoKey, auditor)
	// a procedure of the ネットワーク管理者, not public: its owner role, the CISO, the auditors.
	seesProcedure = set(netAdmin, cisoKey, auditor)
	// 隣村's records: its own CISO only.
	seesOther = set(otherOrg)
)

func (m *matrix) plant(text, record string, seenBy map[string]bool) string {
	m.canaries = append(m.canaries, canary{text: text, record: record, seenBy: seenBy})
	return text
}

func (m *matrix) must(err error, what string) {
	m.t.Helper()
	if err != nil {
		m.t.Fatalf("%s: %v", what, err)
	}
}

func (m *matrix) addParam(kind, value, label string) {
	m.params[kind] = append(m.params[kind], param{value: value, label: label})
}

func (m *matrix) addRecord(kind string, id int64, label string, seenBy map[string]bool) {
	v := strconv.FormatInt(id, 10)
	m.addParam(kind, v, label)
	for _, k := range actorKeys {
		if !seenBy[k] {
			m.strangers[kind+":"+v] = append(m.strangers[kind+":"+v], k)
		}
	}
}

// newMatrix builds the organisations, signs every actor in and plants the records.
func newMatrix(t *testing.T, db *store.DB) *matrix {
	t.Helper()
	m := &matrix{t: t, now: time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC), actors: map[string]*mActor{},
		params: map[string][]param{}, strangers: map[string][]string{}}
	lib, err := packs.LoadWith(os.DirFS("testdata/matrix-pack"))
	m.must(err, "packs")
	m.s = app.NewWithPacks(db, cheap, func() time.Time { return m.now }, lib)
	ctx := context.Background()
	first, err := m.s.Bootstrap(ctx, app.Setup{OrgCode: "mamoru", OrgName: "守町", PackID: "matrix"})
	m.must(err, "bootstrap")
	m.org1, m.sys = first.Org.ID, access.System(first.Org.ID, "test")
	m.srv = httptest.NewServer(New(m.s, Options{}))
	t.Cleanup(m.srv.Close)

	dept := func(sys access.Actor, code, name string) int64 {
		d, err := m.s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: code, Name: name, Kind: "section", Active: true})
		m.must(err, "department "+name)
		return d.ID
	}
	m.deptX, m.deptY, m.deptZ = dept(m.sys, "100", "住民課"), dept(m.sys, "200", "税務課"), dept(m.sys, "300", "情報政策課")
	n := 0
	staff := func(sys access.Actor, deptID int64, name, title string) int64 {
		n++
		st, err := m.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: deptID, EmployeeNo: strconv.Itoa(5000 + n), Name: name,
			Title: title, Employment: "regular", Active: true})
		m.must(err, "staff "+name)
		return st.ID
	}
	role := func(sys access.Actor, roleID string, staffID, deptID int64) {
		ra := org.RoleAssignment{RoleID: roleID, Scope: "organization", HolderStaffID: staffID}
		if deptID != 0 {
			ra.Scope, ra.DepartmentID = "department", deptID
		}
		_, err := m.s.Org.AssignRole(ctx, sys, ra)
		m.must(err, "role "+roleID)
	}
	m.stXID = staff(m.sys, m.deptX, "住民 一郎", "主事")
	m.stX2ID = staff(m.sys, m.deptX, "住民 次郎", "主事")
	smX := staff(m.sys, m.deptX, "住民 課長", "住民課長")
	m.stYID = staff(m.sys, m.deptY, "税務 花子", "主事")
	m.smYStaffID = staff(m.sys, m.deptY, "税務 課長", "税務課長")
	m.cisoStaff = staff(m.sys, m.deptZ, "守 副町長", "副町長")
	aud := staff(m.sys, m.deptZ, "監査 統括", "監査統括責任者")
	net := staff(m.sys, m.deptZ, "網 係長", "企画情報係長")
	xNet := staff(m.sys, m.deptX, "住民 情報担当", "主査")
	role(m.sys, "security_officer", smX, m.deptX)
	role(m.sys, "security_officer", m.smYStaffID, m.deptY)
	role(m.sys, "ciso", m.cisoStaff, 0)
	role(m.sys, "auditor", aud, 0)
	role(m.sys, "network_admin", net, 0)
	role(m.sys, "network_admin", xNet, 0)

	o2, err := m.s.Org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "tonari", Name: "隣村"})
	m.must(err, "second organisation")
	m.org2 = o2.ID
	sys2 := access.System(m.org2, "test")
	_, err = m.s.Policy.Use(ctx, sys2, "toki")
	m.must(err, "pack of the second organisation")
	d2 := dept(sys2, "100", "総務課")
	ciso2 := staff(sys2, d2, "隣 副村長", "副村長")
	role(sys2, "ciso", ciso2, 0)

	// Accounts, each signed in through the pages: temporary password, forced change, MFA
	// enrolment where it is required.
	account := func(sys access.Actor, key, login string, staffID int64) {
		u, temp, err := m.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: staffID, Lang: "ja"})
		m.must(err, "user "+login)
		m.signIn(&mActor{key: key, login: login, userID: u.ID}, temp)
	}
	account(m.sys, staffX, "jumin-ichiro", m.stXID)
	account(m.sys, staffY, "zeimu-hanako", m.stYID)
	account(m.sys, secMgrX, "jumin-kacho", smX)
	account(m.sys, cisoKey, "fuku-chocho", m.cisoStaff)
	account(m.sys, auditor, "kansa", aud)
	account(m.sys, netAdmin, "network", net)
	account(sys2, otherOrg, "tonari-ciso", ciso2)
	admin, err := m.s.Auth.UserByLogin(ctx, app.AdminLogin)
	m.must(err, "administrator")
	m.signIn(&mActor{key: platform, login: app.AdminLogin, userID: admin.ID}, first.AdminPassword)
	// The reporter of the restricted incident, a member of X who holds the ネットワーク管理者 role
	// and Y's security manager act through the services.
	_, _, err = m.s.Auth.CreateUser(ctx, m.sys, auth.NewUser{Login: "jumin-jiro", DisplayName: "jumin-jiro", StaffID: m.stX2ID, Lang: "ja"})
	m.must(err, "user jumin-jiro")
	_, _, err = m.s.Auth.CreateUser(ctx, m.sys, auth.NewUser{Login: "jumin-net", DisplayName: "jumin-net", StaffID: xNet, Lang: "ja"})
	m.must(err, "user jumin-net")
	_, _, err = m.s.Auth.CreateUser(ctx, m.sys, auth.NewUser{Login: "zeimu-kacho", DisplayName: "zeimu-kacho", StaffID: m.smYStaffID, Lang: "ja"})
	m.must(err, "user zeimu-kacho")

	m.plantRecords(ctx, sys2, d2)
	m.plantAudits(ctx)
	m.plantInspections(ctx)
	m.plantAccessReviews(ctx)
	m.plantTraining(ctx)
	m.fillParams(ctx)
	return m
}

var mfaSecretRe = regexp.MustCompile(`id="mfa-secret">([A-Z2-7]+)<`)

// signIn takes an account through its first sign-in in the browser and gives it an API token
// minted by its own session.
func (m *matrix) signIn(a *mActor, temp string) {
	t := m.t
	t.Helper()
	jar, _ := cookiejar.New(nil)
	a.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pw := "守町の長い合言葉は忘れずに覚えておく" + strconv.Itoa(len(m.actors)+7)
	res := m.send(a, http.MethodPost, "/login", url.Values{"login": {a.login}, "password": {temp}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("%s: sign-in answered %d %s", a.key, res.status, res.body)
	}
	if strings.HasPrefix(res.location, "/account/password") {
		res = m.send(a, http.MethodPost, "/account/password", url.Values{"current": {temp}, "new": {pw}, "confirm": {pw}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("%s: password change answered %d %.500s", a.key, res.status, res.body)
		}
	}
	if strings.HasPrefix(res.location, "/account/mfa") {
		page := m.send(a, http.MethodGet, "/account/mfa", nil)
		sec := mfaSecretRe.FindStringSubmatch(page.body)
		if sec == nil {
			t.Fatalf("%s: no MFA secret on the enrolment page", a.key)
		}
		code, err := auth.TOTPCode(sec[1], m.now)
		m.must(err, "TOTP")
		if res = m.send(a, http.MethodPost, "/account/mfa", url.Values{"code": {code}}); res.status != http.StatusOK {
			t.Fatalf("%s: MFA enrolment answered %d", a.key, res.status)
		}
	}
	if res := m.send(a, http.MethodGet, "/", nil); res.status != http.StatusOK {
		t.Fatalf("%s: home page after sign-in answered %d (%s)", a.key, res.status, res.location)
	}
	u, _ := url.Parse(m.srv.URL)
	var session string
	for _, c := range jar.Cookies(u) {
		if c.Name == web.SessionCookie {
			session = c.Value
		}
	}
	ctx := context.Background()
	_, who, err := m.s.Auth.Authenticate(ctx, session, auth.Client{})
	m.must(err, a.key+" session")
	_, a.token, err = m.s.Auth.CreateToken(ctx, who, auth.NewToken{Name: "matrix", Scope: auth.ScopeReadWrite})
	m.must(err, a.key+" token")
	m.actors[a.key] = a
}

// answer is a response as the matrix reads it; xlsx bodies are unzipped into their XML.
type answer struct {
	status   int
	location string
	ctype    string
	body     string
}

// send makes a request in the actor's browser session (form body) or, for /api/ paths, with
// the actor's token (JSON body).
func (m *matrix) send(a *mActor, method, path string, body any) answer {
	m.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	}
	req, err := http.NewRequest(method, m.srv.URL+path, rd)
	m.must(err, "request")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	res, err := a.client.Do(req)
	m.must(err, method+" "+path)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, location: res.Header.Get("Location"), ctype: res.Header.Get("Content-Type"), body: readable(raw)}
}

// actAs is the actor of a login as the services see it.
func (m *matrix) actAs(login string) access.Actor {
	m.t.Helper()
	who, err := m.s.Auth.ActAs(context.Background(), login)
	m.must(err, "act as "+login)
	return who
}
