package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/store"
)

func TestServe(t *testing.T) {
	dir := t.TempDir()
	first := startServe(t, "--data", dir, "--addr", "127.0.0.1:0", "--demo")
	out := first.Stdout.String()

	var password string
	t.Run("first start prints the administrator's one-time password once", func(t *testing.T) {
		if n := strings.Count(out, "初期パスワード / password:"); n != 1 {
			t.Fatalf("password line printed %d times, want 1:\n%s", n, out)
		}
		if !strings.Contains(out, "ログインID / login:       admin") {
			t.Errorf("the box does not name the admin login:\n%s", out)
		}
		password = adminPassword.FindStringSubmatch(out)[1]
	})

	t.Run("the demo is loaded and its accounts listed", func(t *testing.T) {
		if !strings.Contains(out, "Demo accounts") {
			t.Fatalf("no demo account list:\n%s", out)
		}
		// Without a pack named, the demo is 上毛町's, whose first role is its CISO.
		if !strings.Contains(out, "最高情報セキュリティ責任者（CISO）") || strings.Count(out, "\n   ") < 4 {
			t.Errorf("demo accounts of 上毛町 not listed:\n%s", out)
		}
	})

	t.Run("health and readiness answer 200", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz"} {
			resp, err := client.Get(first.URL + path)
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
			}
		}
	})

	t.Run("the front page redirects to the login page", func(t *testing.T) {
		resp, err := client.Get(first.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := resp.Location()
		if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/login" {
			t.Fatalf("GET / = %d to %v, want 303 to /login", resp.StatusCode, loc)
		}
	})

	t.Run("cancelling the context shuts the server down cleanly", func(t *testing.T) {
		if err := first.Stop(); err != nil {
			t.Fatalf("run returned %v after cancellation, want nil", err)
		}
		if c, err := net.Dial("tcp", first.Addr); err == nil {
			c.Close()
			t.Fatalf("%s still accepts connections after shutdown", first.Addr)
		}
	})

	t.Run("the printed password signs the administrator in", func(t *testing.T) {
		if password == "" {
			t.Fatal("the first start printed no password to sign in with")
		}
		s := services(t, store.Config{DataDir: dir})
		if err := signIn(t, s, "admin", password); err != nil {
			t.Fatalf("sign in with the printed password: %v", err)
		}
	})

	t.Run("a second start on the same data prints no password and keeps the demo", func(t *testing.T) {
		again := startServe(t, "--data", dir, "--addr", "127.0.0.1:0", "--demo")
		if err := again.Stop(); err != nil {
			t.Fatalf("stop: %v", err)
		}
		out := again.Stdout.String()
		if strings.Contains(out, "password") || strings.Contains(out, "パスワード") {
			t.Errorf("second start printed a password:\n%s", out)
		}
		if !strings.Contains(out, "demo data already present") {
			t.Errorf("second start did not say the demo is already there:\n%s", out)
		}
	})
}

func TestServeFlags(t *testing.T) {
	t.Run("--demo PACK with a space starts an organisation for that pack", func(t *testing.T) {
		dir := t.TempDir()
		s := startServe(t, "--data", dir, "--demo", "kishiwada", "--addr", "127.0.0.1:0")
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s.Stdout.String(), "Demo accounts") {
			t.Fatalf("demo not loaded:\n%s", s.Stdout)
		}
		var name, pack string
		var lockout int
		db := openData(t, store.Config{DataDir: dir})
		db.SQL.QueryRow(`SELECT name, pack_id, lockout_after_failures FROM organizations`).Scan(&name, &pack, &lockout)
		if name != "岸和田市（デモ）" || pack != "kishiwada" || lockout != 3 {
			t.Fatalf("organisation %q bound to %q with lockout %d; want 岸和田市（デモ）, kishiwada, 3 (5(7)⑥)", name, pack, lockout)
		}
	})

	t.Run("--demo=PACK works for every shipped pack", func(t *testing.T) {
		for _, id := range []string{"koge", "toki", "abira-kyoiku", "yamagata"} {
			s := startServe(t, "--data", t.TempDir(), "--demo="+id, "--addr", "127.0.0.1:0")
			if err := s.Stop(); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(s.Stdout.String(), "Demo accounts") {
				t.Fatalf("%s: demo not loaded:\n%s", id, s.Stdout)
			}
		}
	})

	t.Run("an unknown pack ends with an error naming it before anything is created", func(t *testing.T) {
		for _, form := range [][]string{{"--demo", "nosuch-pack"}, {"--demo=nosuch-pack"}} {
			dir := t.TempDir()
			args := append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, form...)
			out, _, err := cliBounded(t, args...)
			if err == nil || !strings.Contains(err.Error(), `"nosuch-pack"`) {
				t.Errorf("%v: error %v, want one naming \"nosuch-pack\"", form, err)
			}
			if exitCode(err) == 0 {
				t.Errorf("%v: exit code 0", form)
			}
			if exists(dbFile(dir)) || strings.Contains(out, "password") {
				t.Errorf("%v: the first start went ahead despite the unknown pack:\n%s", form, out)
			}
		}
	})

	t.Run("MAMORI_DATA and MAMORI_ADDR are used when the flags are absent", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("MAMORI_DATA", dir)
		t.Setenv("MAMORI_ADDR", "127.0.0.1:0")
		s := startServe(t)
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		host, port, _ := net.SplitHostPort(s.Addr)
		if host != "127.0.0.1" || port == "8080" || port == "0" {
			t.Errorf("listened on %s, want the random port MAMORI_ADDR asks for", s.Addr)
		}
		if !exists(dbFile(dir)) {
			t.Errorf("no database in MAMORI_DATA %s", dir)
		}
	})

	t.Run("flags take precedence over the environment", func(t *testing.T) {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer busy.Close()
		envDir, flagDir := t.TempDir(), t.TempDir()
		t.Setenv("MAMORI_DATA", envDir)
		t.Setenv("MAMORI_ADDR", busy.Addr().String())
		s := startServe(t, "--data", flagDir, "--addr", "127.0.0.1:0")
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		if !exists(dbFile(flagDir)) || exists(dbFile(envDir)) {
			t.Errorf("--data did not win over MAMORI_DATA")
		}
	})
}

func TestMisconfiguration(t *testing.T) {
	// oneError checks that a misconfiguration ends the command with one error whose first line
	// names the problem, and a non-zero exit code. (The driver's detail may follow on further
	// lines: pgx lists every connection attempt.)
	oneError := func(t *testing.T, err error, want ...string) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
		if exitCode(err) == 0 {
			t.Errorf("exit code 0 for %v", err)
		}
		msg, _, _ := strings.Cut(err.Error(), "\n")
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("error %q does not mention %q", msg, w)
			}
		}
	}

	t.Run("a DSN with an unknown scheme", func(t *testing.T) {
		_, _, err := cliBounded(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--db", "mysql://x")
		oneError(t, err, "mysql://x", "unknown scheme")
	})

	t.Run("an unreachable PostgreSQL, without showing the password", func(t *testing.T) {
		_, stderr, err := cliBounded(t, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
			"--db", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=2")
		oneError(t, err, "unreachable", "127.0.0.1:1")
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the password appears in the error: %v", err)
		}
		if strings.Contains(stderr, "secret") {
			t.Errorf("the password appears on stderr:\n%s", stderr)
		}
	})

	t.Run("a data folder that cannot be created", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, []byte("not a folder"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := cliBounded(t, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(file, "sub"))
		oneError(t, err, "data folder", filepath.Join(file, "sub"))
	})

	t.Run("a port in use is reported before the data is touched", func(t *testing.T) {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer busy.Close()
		dir := t.TempDir()
		_, _, err = cliBounded(t, "serve", "--data", dir, "--addr", busy.Addr().String())
		oneError(t, err, busy.Addr().String(), "already in use")
		if exists(dbFile(dir)) {
			t.Error("the database was created although the server could not listen")
		}
	})

	t.Run("an unknown command exits with code 2 and shows the usage", func(t *testing.T) {
		_, stderr, err := cli(t, "frobnicate")
		if code := exitCode(err); code != 2 {
			t.Fatalf("exit code %d (%v), want 2", code, err)
		}
		if !strings.Contains(stderr, `unknown command "frobnicate"`) || !strings.Contains(stderr, "Usage:") {
			t.Errorf("stderr does not name the command and show the usage:\n%s", stderr)
		}
	})

	t.Run("an unknown flag exits with code 2", func(t *testing.T) {
		_, stderr, err := cli(t, "migrate", "--data", t.TempDir(), "--no-such-flag")
		if code := exitCode(err); code != 2 {
			t.Fatalf("exit code %d (%v), want 2", code, err)
		}
		if !strings.Contains(stderr, "no-such-flag") {
			t.Errorf("stderr does not name the flag:\n%s", stderr)
		}
	})

	t.Run("an unexpected positional argument is an error", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := cli(t, "migrate", "--data", dir, "stray")
		oneError(t, err, `unexpected argument "stray"`)
		if exists(dbFile(dir)) {
			t.Error("the database was created despite the bad command line")
		}
	})

	t.Run("an unknown user subcommand creates no data folder", func(t *testing.T) {
		t.Chdir(t.TempDir()) // the default data folder is ./mamori-data
		_, _, err := cli(t, "user", "frobnicate")
		oneError(t, err, `"frobnicate"`)
		if exists("mamori-data") {
			t.Error("./mamori-data was created for a mistyped subcommand")
		}
	})
}
