package auth_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// cheap keeps argon2id fast in tests; TestHashFormat covers the defaults.
var cheap = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// clock is the injected time; tests move it instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one organisation with an authentication service on a fresh database.
type env struct {
	db    *store.DB
	clock *clock
	auth  *auth.Service
	org   *org.Service
	orgID int64
	admin access.Actor
}

var ctx = context.Background()

// client is where the test's requests come from.
var client = auth.Client{RemoteAddr: "192.0.2.10", UserAgent: "Mozilla/5.0 (Windows NT 10.0) テスト"}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC)}
	o := &org.Service{DB: db, Now: c.Now}
	created, err := o.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "kishiwada", Name: "岸和田市"})
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return &env{db: db, clock: c, auth: service(db, c), org: o, orgID: created.ID, admin: access.System(created.ID, "system")}
}

// service is an authentication service on db with the test clock, as each server process has.
func service(db *store.DB, c *clock) *auth.Service {
	s := auth.New(db, cheap)
	s.Now = c.Now
	s.RoleMarks = packMarks
	return s
}

// packMarks stands for the organisation's pack: it marks the role auditor as an audit role.
func packMarks(context.Context, int64) (map[string]access.RoleMarks, error) {
	return map[string]access.RoleMarks{"auditor": {Auditor: true}}, nil
}

// createUser creates an account and returns it with its temporary password.
func (e *env) createUser(t *testing.T, login string, platformAdmin bool) (auth.User, string) {
	t.Helper()
	u, temp, err := e.auth.CreateUser(ctx, e.admin, auth.NewUser{Login: login, DisplayName: "利用者 " + login, PlatformAdmin: platformAdmin})
	if err != nil {
		t.Fatalf("create user %s: %v", login, err)
	}
	return u, temp
}

const password = "Sakura-Namiki-2026-guard"

// activeUser creates an account and changes its temporary password to password, as a user does
// at first login. The session used for that is logged out.
func (e *env) activeUser(t *testing.T, login string) auth.User {
	t.Helper()
	u, temp := e.createUser(t, login, false)
	_, who := e.signIn(t, login, temp)
	if err := e.auth.ChangePassword(ctx, who, temp, password, password); err != nil {
		t.Fatalf("change password of %s: %v", login, err)
	}
	if err := e.auth.Logout(ctx, who); err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn logs in and authenticates the new session.
func (e *env) signIn(t *testing.T, login, pw string) (string, access.Actor) {
	t.Helper()
	res, err := e.auth.Login(ctx, login, pw, client)
	if err != nil {
		t.Fatalf("login %s: %v", login, err)
	}
	_, who, err := e.auth.Authenticate(ctx, res.Token, client)
	if err != nil {
		t.Fatalf("authenticate %s: %v", login, err)
	}
	return res.Token, who
}

// entries returns the organisation's audit entries with action, newest first.
func (e *env) entries(t *testing.T, action string) []auditlog.Entry {
	t.Helper()
	svc := &auditlog.Service{DB: e.db}
	out, _, err := svc.List(ctx, e.admin, auditlog.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) user(t *testing.T, id int64) auth.User {
	t.Helper()
	u, err := e.auth.User(ctx, e.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := e.db.SQL.ExecContext(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.SQL.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

// wantField checks that err is Invalid and names field with key.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	wantCode(t, err, apperr.Invalid)
	for _, f := range apperr.As(err).Fields {
		if f.Field == field && (key == "" || f.Key == key) {
			return
		}
	}
	t.Fatalf("error %v does not name field %s with %s", err, field, key)
}

// verifyChain fails the test if the organisation's audit chain does not verify.
func (e *env) verifyChain(t *testing.T) {
	t.Helper()
	r, err := auditlog.Verify(ctx, e.db.SQL, e.orgID)
	if err != nil || !r.OK() {
		t.Fatalf("audit chain: %+v, %v", r.Problem, err)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
