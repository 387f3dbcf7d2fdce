package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/server"
	"mamori/internal/store"
)

// env is a running Mamori with the demo town and a signed-in account, and the bare baseline.
type env struct {
	dir     string // temp data folder, removed at Close
	db      *store.DB
	s       *app.Services
	mamori  *http.Server
	bare    *http.Server
	mamURL  string
	bareURL string
	cookie  string // session cookie of the bench account, sign-in complete
	token   string // API token of the same account
	name    string // its display name, shown on the home page
	who     access.Actor
	orgID   int64
	pack    *policy.Compiled
}

// benchPassword begins the bench account's own password, chosen at its first sign-in of a run.
const benchPassword = "ベンチマーク用の長い合言葉です-2026"

// benchStaffNo is the demo staff member the bench account belongs to (鈴木 大輔, 人事係長 of
// 上毛町's demo): a member of staff without a demo login, so a sign-in resolves a department
// like anyone's.
const benchStaffNo = "1003"

// setUp starts Mamori with the demo town and the bench account. With auditor, the account
// also holds the pack's audit role, so that it reads the whole register as an auditor does.
func setUp(ctx context.Context, dsn string, auditor bool) (_ *env, err error) {
	e := &env{}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	if dsn == "" {
		if e.dir, err = os.MkdirTemp("", "mamori-bench-"); err != nil {
			return nil, err
		}
	}
	if e.db, err = store.Open(ctx, store.Config{DataDir: e.dir, DSN: dsn}); err != nil {
		return nil, err
	}
	if err := e.db.Migrate(ctx); err != nil {
		return nil, err
	}
	e.s = app.New(e.db, auth.DefaultParams, nil)
	pack, ok := e.s.Policy.Library.Get(demo.DefaultPack)
	if !ok {
		return nil, fmt.Errorf("pack %s is not shipped", demo.DefaultPack)
	}
	first, err := e.s.Bootstrap(ctx, app.Setup{OrgCode: "org", OrgName: "デモ町", PackID: pack.ID})
	if err != nil {
		return nil, fmt.Errorf("first start: %w", err)
	}
	if _, err := demo.Load(ctx, e.s, first.Org.ID, pack); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	e.orgID, e.pack = first.Org.ID, pack
	if err := e.signIn(ctx, first.Org.ID, auditor); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if e.mamori, e.mamURL, err = listen(server.New(e.s, server.Options{Logger: log, Version: "bench"})); err != nil {
		return nil, err
	}
	if e.bare, e.bareURL, err = listen(http.HandlerFunc(bareHandler)); err != nil {
		return nil, err
	}
	return e, nil
}

// signIn creates the bench account as an administrator would, signs in with the temporary
// password and changes it, as a user does at first sign-in. The session it ends with is
// complete (a non-administrator needs no second factor), and an API token is issued for it.
func (e *env) signIn(ctx context.Context, orgID int64, auditor bool) error {
	sys := access.System(orgID, "mamori-bench")
	staff, _, err := e.s.Org.ListStaff(ctx, sys, org.StaffFilter{Query: benchStaffNo, Limit: 1})
	if err != nil || len(staff) != 1 {
		return fmt.Errorf("demo staff member %s: %v", benchStaffNo, err)
	}
	if auditor {
		role, ok := auditRole(e.pack)
		if !ok {
			return fmt.Errorf("pack %s has no organisation-wide audit role", e.pack.ID)
		}
		if _, err := e.s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: staff[0].ID}); err != nil {
			return fmt.Errorf("audit role: %w", err)
		}
	}
	// One login per member of staff: a PostgreSQL scratch database used again keeps the bench
	// account of the run before, whose password is reset; each run chooses a password of its own,
	// since the last ones cannot be used again.
	login := "bench"
	password := benchPassword + "-" + strconv.FormatInt(time.Now().Unix(), 36)
	u, err := e.s.Auth.UserByLogin(ctx, login)
	var temp string
	switch {
	case err == nil:
		temp, err = e.s.Auth.ResetPassword(ctx, sys, u.ID)
	case apperr.CodeOf(err) == apperr.NotFound:
		u, temp, err = e.s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: staff[0].Name, StaffID: staff[0].ID, Lang: "ja"})
	}
	if err != nil {
		return fmt.Errorf("bench account: %w", err)
	}
	client := auth.Client{RemoteAddr: "127.0.0.1", UserAgent: "mamori-bench"}
	res, err := e.s.Auth.Login(ctx, login, temp, client)
	if err != nil {
		return fmt.Errorf("first sign-in: %w", err)
	}
	_, who, err := e.s.Auth.Authenticate(ctx, res.Token, client)
	if err != nil {
		return fmt.Errorf("first sign-in: %w", err)
	}
	if err := e.s.Auth.ChangePassword(ctx, who, temp, password, password); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	sess, ready, err := e.s.Auth.Authenticate(ctx, res.Token, client)
	if err != nil || !sess.Ready() {
		return fmt.Errorf("session after the first sign-in is not ready (%+v): %v", sess, err)
	}
	_, token, err := e.s.Auth.CreateToken(ctx, ready, auth.NewToken{Name: "mamori-bench", Scope: auth.ScopeReadWrite})
	if err != nil {
		return fmt.Errorf("API token: %w", err)
	}
	e.cookie, e.token, e.name, e.who = res.Token, token, u.DisplayName, ready
	return nil
}

// auditRole is the pack's organisation-wide role of auditors (marked auditor), who read the
// whole register.
func auditRole(p *policy.Compiled) (string, bool) {
	for _, r := range p.Roles {
		if r.Scope == "organization" && r.Auditor {
			return r.ID, true
		}
	}
	return "", false
}

// listen serves h on a free loopback port.
func listen(h http.Handler) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	// The timeouts of mamori serve.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "mamori-bench: serve %s: %v\n", ln.Addr(), err)
		}
	}()
	return srv, "http://" + ln.Addr().String(), nil
}

// bareBody is the baseline's answer: a small fixed HTML page.
const bareBody = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>ベースライン</title></head>
<body><h1>ベースライン</h1><p>net/http だけの固定ページ / a fixed page from net/http alone.</p></body></html>
`

func bareHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(bareBody))
}

func (e *env) engine() store.Engine { return e.db.Engine }

type dbStats sql.DBStats

func (e *env) dbStats() dbStats { return dbStats(e.db.SQL.Stats()) }

// since is the pool's waiting and churn between two readings, and its size at the second.
func (s dbStats) since(before dbStats) dbStats {
	s.WaitCount -= before.WaitCount
	s.WaitDuration -= before.WaitDuration
	s.MaxIdleClosed -= before.MaxIdleClosed
	s.MaxIdleTimeClosed -= before.MaxIdleTimeClosed
	s.MaxLifetimeClosed -= before.MaxLifetimeClosed
	return s
}

// Close stops the servers and removes the temp data folder.
func (e *env) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range []*http.Server{e.mamori, e.bare} {
		if srv != nil {
			srv.Shutdown(ctx)
		}
	}
	if e.db != nil {
		e.db.Close()
	}
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}
