package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	firstStart(t, "--data", dir)
	cfg := store.Config{DataDir: dir}
	s := services(t, cfg)

	t.Run("migrate reports the schema version", func(t *testing.T) {
		out := mustCLI(t, "migrate", "--data", dir)
		m := regexp.MustCompile(`^schema at version (\d+) \(sqlite .+\)\n$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("unexpected output %q", out)
		}
		_, latest, err := s.DB.SchemaVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := strconv.ParseInt(m[1], 10, 64); v != latest || v < 1 {
			t.Errorf("reported version %s, want the latest, %d", m[1], latest)
		}
	})

	var firstPassword string
	t.Run("user create prints a temporary password that signs in", func(t *testing.T) {
		out := mustCLI(t, "user", "create", "--data", dir, "--login", "yamada", "--name", "山田 太郎")
		if !strings.Contains(out, "created yamada (山田 太郎)") {
			t.Errorf("output does not confirm the user:\n%s", out)
		}
		firstPassword = lastLine(out)
		if len(firstPassword) < 10 || strings.ContainsAny(firstPassword, " :") {
			t.Fatalf("last line %q does not look like a password", firstPassword)
		}
		if err := signIn(t, s, "yamada", firstPassword); err != nil {
			t.Fatalf("the printed password does not sign in: %v", err)
		}
	})

	t.Run("a duplicate login is refused in Japanese and English naming the field", func(t *testing.T) {
		out, _, err := cli(t, "user", "create", "--data", dir, "--login", "yamada", "--name", "山田 次郎")
		if err == nil {
			t.Fatalf("duplicate accepted:\n%s", out)
		}
		for _, want := range []string{"login:", "このログインIDは既に使われています。", "This login is already taken."} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
		if exitCode(err) != 1 {
			t.Errorf("exit code %d, want 1", exitCode(err))
		}
	})

	listed := func(t *testing.T) map[string]string {
		t.Helper()
		rows := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(mustCLI(t, "user", "list", "--data", dir)), "\n")[1:] {
			rows[strings.Fields(line)[0]] = line
		}
		return rows
	}

	t.Run("user list lists admin and yamada", func(t *testing.T) {
		rows := listed(t)
		if len(rows) != 2 {
			t.Errorf("listed %d users, want 2: %v", len(rows), rows)
		}
		if f := strings.Fields(rows["admin"]); len(f) != 5 || f[2] != "true" {
			t.Errorf("admin row %q, want a platform administrator", rows["admin"])
		}
		// 山田 太郎 has a space, so the row has six fields.
		if f := strings.Fields(rows["yamada"]); len(f) != 6 || f[1]+" "+f[2] != "山田 太郎" || f[3] != "false" || f[5] != "temporary-password" {
			t.Errorf("yamada row %q, want name, no administrator, temporary password", rows["yamada"])
		}
	})

	t.Run("user unlock clears a lock", func(t *testing.T) {
		if _, err := s.DB.SQL.ExecContext(t.Context(), `UPDATE users SET locked_at = $1, failed_logins = 3 WHERE login = 'yamada'`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if state := listed(t)["yamada"]; !strings.HasSuffix(state, "locked") {
			t.Fatalf("after locking, user list shows %q", state)
		}
		if out := mustCLI(t, "user", "unlock", "--data", dir, "--login", "yamada"); out != "unlocked yamada\n" {
			t.Errorf("output %q", out)
		}
		var locked sql.NullTime
		var failed int
		if err := s.DB.SQL.QueryRowContext(t.Context(), `SELECT locked_at, failed_logins FROM users WHERE login = 'yamada'`).
			Scan(&locked, &failed); err != nil {
			t.Fatal(err)
		}
		if locked.Valid || failed != 0 {
			t.Errorf("after unlock: locked_at %v, failed_logins %d; want NULL and 0", locked, failed)
		}
	})

	t.Run("user reset-password prints a new password that replaces the old one", func(t *testing.T) {
		out := mustCLI(t, "user", "reset-password", "--data", dir, "--login", "yamada")
		pw := lastLine(out)
		if pw == "" || pw == firstPassword || !strings.Contains(out, "password of yamada reset") {
			t.Fatalf("output %q, want a new password (first was %q)", out, firstPassword)
		}
		if err := signIn(t, s, "yamada", pw); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
		if err := signIn(t, s, "yamada", firstPassword); err == nil {
			t.Errorf("the old password still signs in")
		}
	})

	t.Run("user commands name an unknown login", func(t *testing.T) {
		for _, sub := range []string{"unlock", "reset-password"} {
			_, _, err := cli(t, "user", sub, "--data", dir, "--login", "nobody")
			if err == nil || !strings.Contains(err.Error(), `"nobody"`) {
				t.Errorf("user %s --login nobody: %v", sub, err)
			}
		}
	})
}

func TestUserCommandsNeedAFirstStart(t *testing.T) {
	_, _, err := cli(t, "user", "list", "--data", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "mamori serve") {
		t.Fatalf("user list before any start: %v, want advice to start the server once", err)
	}
}

func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	firstStart(t, "--data", dir)
	s := services(t, store.Config{DataDir: dir})

	t.Run("a person's login gets no token from the command line", func(t *testing.T) {
		_, _, err := cli(t, "token", "create", "--data", dir, "--user", "admin")
		if err == nil || !strings.Contains(err.Error(), "not a service account") {
			t.Fatalf("token for admin: %v", err)
		}
		var n int
		if err := s.DB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM api_tokens`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d tokens, %v", n, err)
		}
	})

	if out, stderr, err := cli(t, "user", "create-service", "--data", dir, "--login", "renkei", "--name", "人事システム連携", "--admin"); err != nil ||
		!strings.Contains(out, "renkei") {
		t.Fatalf("create-service: %v\n%s%s", err, out, stderr)
	}
	out, stderr, err := cli(t, "token", "create", "--data", dir, "--user", "renkei", "--scope", "read-write", "--days", "30")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, stderr)
	}
	token := lastLine(out)

	t.Run("the token is alone on the last line of stdout", func(t *testing.T) {
		if !strings.HasPrefix(token, auth.TokenPrefix) || strings.TrimSpace(token) != token || strings.ContainsAny(token, " \t") {
			t.Fatalf("last line %q is not a bare mmr_ token; stdout:\n%s", token, out)
		}
		if len(token) < len(auth.TokenPrefix)+20 {
			t.Errorf("token %q is too short to be secret", token)
		}
	})

	t.Run("the database stores only its hash", func(t *testing.T) {
		rows, err := s.DB.SQL.QueryContext(t.Context(), `SELECT * FROM api_tokens`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			n++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				if strings.Contains(text, token) || strings.Contains(text, strings.TrimPrefix(token, auth.TokenPrefix)) {
					t.Errorf("column %s holds the token in clear: %q", cols[i], text)
				}
				if cols[i] == "token_hash" && text == "" {
					t.Errorf("token_hash is empty")
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d rows in api_tokens, want 1", n)
		}
	})

	t.Run("the printed token authenticates as the service account, read-write", func(t *testing.T) {
		who, err := s.Auth.AuthenticateToken(t.Context(), token, auth.Client{})
		if err != nil {
			t.Fatalf("authenticate: %v", err)
		}
		if who.Login != "renkei" || !who.ServiceAccount || who.ReadOnly || !who.PlatformAdmin {
			t.Errorf("token authenticates as %+v, want the service account renkei", who)
		}
	})

	t.Run("the service account is listed as such", func(t *testing.T) {
		out, _, err := cli(t, "user", "list", "--data", dir)
		if err != nil || !regexp.MustCompile(`(?m)^renkei .*service-account`).MatchString(out) {
			t.Fatalf("user list: %v\n%s", err, out)
		}
	})

	t.Run("a bad scope is named in both languages", func(t *testing.T) {
		_, _, err := cli(t, "token", "create", "--data", dir, "--user", "renkei", "--scope", "all")
		if err == nil || !strings.Contains(err.Error(), "scope: ") || !strings.Contains(err.Error(), "読み取り") {
			t.Fatalf("bad scope: %v", err)
		}
	})

	t.Run("an unknown user is named", func(t *testing.T) {
		_, _, err := cli(t, "token", "create", "--data", dir, "--user", "ghost")
		if err == nil || !strings.Contains(err.Error(), `"ghost"`) {
			t.Fatalf("token for ghost: %v", err)
		}
	})
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	firstStart(t, "--data", dir)

	t.Run("a fresh installation verifies", func(t *testing.T) {
		out, _, err := cli(t, "verify", "--data", dir)
		if err != nil {
			t.Fatalf("verify: %v\n%s", err, out)
		}
		if !strings.Contains(out, ": OK,") {
			t.Errorf("output does not say OK:\n%s", out)
		}
	})

	t.Run("a tampered entry exits 1 and is named", func(t *testing.T) {
		db := openData(t, store.Config{DataDir: dir})
		res, err := db.SQL.ExecContext(t.Context(), `UPDATE audit_entries SET actor = 'x' WHERE seq = 2`)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("tampered with %d rows, want 1", n)
		}
		out, _, err := cli(t, "verify", "--data", dir)
		if code := exitCode(err); code != 1 {
			t.Fatalf("exit code %d (%v), want 1\n%s", code, err, out)
		}
		if !strings.Contains(out, "BROKEN at entry #2 ") {
			t.Errorf("output does not name entry #2:\n%s", out)
		}
	})
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	firstStart(t, "--data", dir)

	// backupTo backs dir up into a fresh data folder and opens it.
	backupTo := func(t *testing.T) (*store.DB, string) {
		t.Helper()
		restore := t.TempDir()
		out := mustCLI(t, "backup", "--data", dir, "--out", dbFile(restore))
		if !strings.Contains(out, "backup written to") {
			t.Errorf("output %q", out)
		}
		return openData(t, store.Config{DataDir: restore}), restore
	}

	t.Run("the copy opens and holds the same audit entries", func(t *testing.T) {
		copyDB, restore := backupTo(t)
		live := openData(t, store.Config{DataDir: dir})
		want := countRows(t, live, "audit_entries")
		if got := countRows(t, copyDB, "audit_entries"); got != want || want == 0 {
			t.Errorf("backup holds %d audit entries, the original %d", got, want)
		}
		if out := mustCLI(t, "verify", "--data", restore); !strings.Contains(out, ": OK,") {
			t.Errorf("the backup does not verify:\n%s", out)
		}
	})

	t.Run("an existing file is not overwritten", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "existing.db")
		if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := cli(t, "backup", "--data", dir, "--out", target)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("backup onto an existing file: %v", err)
		}
		if b, _ := os.ReadFile(target); string(b) != "keep me" {
			t.Errorf("the existing file was changed to %q", b)
		}
	})

	t.Run("--out is required", func(t *testing.T) {
		if _, _, err := cli(t, "backup", "--data", dir); err == nil || !strings.Contains(err.Error(), "--out") {
			t.Errorf("backup without --out: %v", err)
		}
	})

	t.Run("a backup taken while the server runs is complete", func(t *testing.T) {
		srv := startServe(t, "--data", dir, "--addr", "127.0.0.1:0")
		mustCLI(t, "user", "create", "--data", dir, "--login", "sasaki", "--name", "佐々木 一郎")
		copyDB, _ := backupTo(t)
		live := openData(t, store.Config{DataDir: dir})
		if got, want := countRows(t, copyDB, "audit_entries"), countRows(t, live, "audit_entries"); got != want {
			t.Errorf("backup holds %d audit entries, the running installation %d", got, want)
		}
		var n int
		if err := copyDB.SQL.QueryRowContext(t.Context(), `SELECT count(*) FROM users WHERE login = 'sasaki'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("the user created while serving is not in the backup (%d, %v)", n, err)
		}
		resp, err := client.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("server not ready after the backup: %d", resp.StatusCode)
		}
		if err := srv.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func TestPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	t.Chdir(t.TempDir()) // so that a stray ./mamori-data would be seen, and not left in the source tree

	t.Run("migrate reports the schema version", func(t *testing.T) {
		out := mustCLI(t, "migrate", "--db", dsn)
		if !regexp.MustCompile(`^schema at version [1-9]\d* \(postgres 127\.0\.0\.1:\d+/\w+\)\n$`).MatchString(out) {
			t.Errorf("output %q", out)
		}
	})

	firstStart(t, "--db", dsn)

	t.Run("user create works", func(t *testing.T) {
		out := mustCLI(t, "user", "create", "--db", dsn, "--login", "yamada", "--name", "山田 太郎")
		pw := lastLine(out)
		s := services(t, store.Config{DSN: dsn})
		if err := signIn(t, s, "yamada", pw); err != nil {
			t.Fatalf("the printed password does not sign in: %v", err)
		}
	})

	t.Run("verify works", func(t *testing.T) {
		out, _, err := cli(t, "verify", "--db", dsn)
		if err != nil || !strings.Contains(out, ": OK,") {
			t.Fatalf("verify: %v\n%s", err, out)
		}
	})

	t.Run("backup points to pg_dump", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "pg.backup")
		_, _, err := cli(t, "backup", "--db", dsn, "--out", target)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Fatalf("backup of PostgreSQL: %v, want a message about pg_dump", err)
		}
		if exists(target) {
			t.Error("a backup file was written")
		}
	})

	// With PostgreSQL the data folder keeps only the audit chain's signing key and checkpoints.
	entries, _ := os.ReadDir("mamori-data")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "audit-checkpoints.jsonl audit-key.pem" {
		t.Errorf("PostgreSQL mode left %q in ./mamori-data, want the audit key and checkpoints only", got)
	}
}

func TestVersion(t *testing.T) {
	t.Run("prints mamori and a version", func(t *testing.T) {
		out := mustCLI(t, "version")
		if !regexp.MustCompile(`^mamori \S+\n$`).MatchString(out) {
			t.Errorf("output %q", out)
		}
	})
	t.Run("prints the version set at build time", func(t *testing.T) {
		old := Version
		Version = "1.2.3"
		t.Cleanup(func() { Version = old })
		if out := mustCLI(t, "version"); out != "mamori 1.2.3\n" {
			t.Errorf("output %q", out)
		}
	})
}
