package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) {
	// The commands read MAMORI_* as fallbacks; a developer's own settings must not leak in.
	for _, k := range []string{"MAMORI_DATA", "MAMORI_DB", "MAMORI_ADDR", "MAMORI_DEMO", "MAMORI_ORG_NAME", "MAMORI_SECURE_COOKIES"} {
		os.Unsetenv(k)
	}
	storetest.Main(m)
}

// cli runs one command to completion and returns what it printed.
func cli(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(t.Context(), args, &out, &errb)
	return out.String(), errb.String(), err
}

// mustCLI runs a command that must succeed and returns its standard output.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := cli(t, args...)
	if err != nil {
		t.Fatalf("mamori %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// cliBounded runs a command that is expected to end by itself (a serve that must fail), giving
// up after a generous bound instead of hanging the test run when it starts serving instead.
func cliBounded(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	err = run(ctx, args, &out, &errb)
	if ctx.Err() != nil {
		t.Fatalf("mamori %s did not end by itself; stdout:\n%s", strings.Join(args, " "), out.String())
	}
	return out.String(), errb.String(), err
}

// syncBuffer is a bytes.Buffer that a running server may write to while the test reads it, and
// that signals every write.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	select {
	case s.written <- struct{}{}:
	default:
	}
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serving is a `mamori serve` running in the test's process.
type serving struct {
	URL    string // http://127.0.0.1:PORT
	Addr   string // 127.0.0.1:PORT
	Stdout *syncBuffer
	Stderr *syncBuffer
	stop   func() error
}

// Stop cancels the server's context and returns what run returned.
func (s *serving) Stop() error { return s.stop() }

var listening = regexp.MustCompile(`Mamori: (https?)://([^/\s]+)/`)

// startServe runs `mamori serve ARGS` until the test ends (or Stop is called) and returns once
// it prints the address it listens on.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := newSyncBuffer(), newSyncBuffer()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), out, errb) }()

	var once sync.Once
	var stopErr error
	s := &serving{Stdout: out, Stderr: errb, stop: func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(30 * time.Second):
				stopErr = errors.New("serve did not return within 30 s of cancellation")
			}
		})
		return stopErr
	}}
	t.Cleanup(func() { s.Stop() })

	deadline := time.NewTimer(60 * time.Second)
	defer deadline.Stop()
	for {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			s.Addr = m[2]
			s.URL = m[1] + "://" + m[2]
			return s
		}
		select {
		case <-out.written:
		case err := <-done:
			cancel()
			t.Fatalf("serve ended before listening: %v\nstdout:\n%s\nstderr:\n%s", err, out, errb)
		case <-deadline.C:
			t.Fatalf("serve printed no address within 60 s\nstdout:\n%s\nstderr:\n%s", out, errb)
		}
	}
}

var adminPassword = regexp.MustCompile(`初期パスワード / password: (\S+)`)

// firstStart starts and stops a server on dir once, as an installation's first start does,
// and returns the administrator's one-time password.
func firstStart(t *testing.T, args ...string) string {
	t.Helper()
	s := startServe(t, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	if err := s.Stop(); err != nil {
		t.Fatalf("stop first start: %v", err)
	}
	m := adminPassword.FindStringSubmatch(s.Stdout.String())
	if m == nil {
		t.Fatalf("first start printed no administrator password:\n%s", s.Stdout)
	}
	return m[1]
}

// openData opens the database of a data folder (or a DSN) beside whatever else has it open.
func openData(t *testing.T, cfg store.Config) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("open %+v: %v", cfg, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// kogeStarted is a migrated store started with 上毛町 on the koge pack: in a data folder of the
// test's own, or in the engine's PostgreSQL database with that folder beside it for the
// checkpoint key. flags point the program at the same store.
func kogeStarted(t *testing.T, db *store.DB) (data *store.DB, s *app.Services, orgID int64, flags []string) {
	t.Helper()
	dir := t.TempDir()
	cfg := store.Config{DataDir: dir}
	flags = []string{"--data", dir}
	if db.Engine == store.Postgres {
		dsn := storetest.PostgresDSN(t)
		cfg, flags = store.Config{DSN: dsn}, []string{"--db", dsn, "--data", dir}
	}
	data = openData(t, cfg)
	if err := data.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	s = app.New(data, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(t.Context(), app.Setup{OrgCode: "koge", OrgName: "上毛町", PackID: "koge"})
	if err != nil {
		t.Fatal(err)
	}
	return data, s, first.Org.ID, flags
}

func services(t *testing.T, cfg store.Config) *app.Services {
	t.Helper()
	return app.New(openData(t, cfg), auth.DefaultParams, nil)
}

// signIn reports whether login and password open a session.
func signIn(t *testing.T, s *app.Services, login, password string) error {
	t.Helper()
	_, err := s.Auth.Login(t.Context(), login, password, auth.Client{RemoteAddr: "127.0.0.1", UserAgent: "cmd test"})
	return err
}

func countRows(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func dbFile(dir string) string { return filepath.Join(dir, store.FileName) }

// client does not follow redirects, so that a test sees them.
var client = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}
