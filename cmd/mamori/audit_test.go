package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestVerifyAgainstCheckpoints runs serve, which signs checkpoints, then tampers with the
// database as someone with write access to it would, and expects `mamori verify` to fail
// naming the checkpoint and the entry — on both engines.
func TestVerifyAgainstCheckpoints(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"--data", dir}
			cfg := store.Config{DataDir: dir}
			if engine == "postgres" {
				cfg.DSN = storetest.PostgresDSN(t)
				args = append(args, "--db", cfg.DSN)
			}
			firstStart(t, args...)
			file := filepath.Join(dir, "audit-checkpoints.jsonl")
			keyFile := filepath.Join(dir, "audit-key.pem")
			db := openData(t, cfg)
			ctx := t.Context()
			run := func(extra ...string) (string, error) {
				out, _, err := cli(t, append(append([]string{"verify"}, args...), extra...)...)
				return out, err
			}

			var head int64
			var headHash string
			if err := db.SQL.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads`).Scan(&head, &headHash); err != nil {
				t.Fatal(err)
			}
			t.Run("serve signed a checkpoint of the head", func(t *testing.T) {
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("serve wrote no checkpoint file: %v", err)
				}
				if !strings.Contains(string(b), `"hash":"`+headHash+`"`) {
					t.Fatalf("checkpoint file lacks the head #%d %s:\n%s", head, headHash, b)
				}
				if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
					t.Fatalf("key file: %v", err)
				}
			})
			t.Run("an intact chain verifies, prints its checkpoints and signs one", func(t *testing.T) {
				out, err := run()
				if err != nil {
					t.Fatalf("verify: %v\n%s", err, out)
				}
				for _, want := range []string{": OK,", "checkpoints in " + file, "#" + itoa(head) + " " + headHash, ": OK\n", "checkpoint "} {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q:\n%s", want, out)
					}
				}
			})
			t.Run("audit key shows the fingerprint and the public key", func(t *testing.T) {
				out := mustCLI(t, append([]string{"audit", "key"}, args...)...)
				pub, err := auditlog.ReadPublicKey(keyFile)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(out, auditlog.Fingerprint(pub)) || !strings.Contains(out, "BEGIN PUBLIC KEY") {
					t.Errorf("output:\n%s", out)
				}
			})

			// Keep a copy of the file as it is now, elsewhere.
			saved, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			copyFile := filepath.Join(t.TempDir(), "copy.jsonl")
			if err := os.WriteFile(copyFile, saved, 0o644); err != nil {
				t.Fatal(err)
			}

			t.Run("a forged checkpoint line fails with the line named", func(t *testing.T) {
				_, other, _ := ed25519.GenerateKey(rand.Reader)
				c := auditlog.SignCheckpoint(other, 1, head, headHash, time.Now())
				if err := auditlog.AppendCheckpoint(file, c); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.WriteFile(file, saved, 0o644) })
				out, err := run()
				if exitCode(err) != 1 {
					t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, out)
				}
				n := strings.Count(string(saved), "\n") + 1
				for _, want := range []string{"CHECKPOINT FAILS", "信頼する鍵で署名されていません", "not signed by a trusted key", file + " line " + itoa(int64(n))} {
					if !strings.Contains(out+err.Error(), want) {
						t.Errorf("output lacks %q:\n%s\n%v", want, out, err)
					}
				}
			})
			t.Run("another public key refuses the file's checkpoints", func(t *testing.T) {
				other, _, _ := ed25519.GenerateKey(rand.Reader)
				pubFile := filepath.Join(t.TempDir(), "other.pub")
				os.WriteFile(pubFile, auditlog.PublicKeyPEM(other), 0o644)
				out, err := run("--audit-pubkey", pubFile)
				if exitCode(err) != 1 || !strings.Contains(out, "not signed by a trusted key") {
					t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, out)
				}
			})

			t.Run("truncation after a verification fails against the checkpoint", func(t *testing.T) {
				keep := head - 1
				if keep < 1 {
					t.Fatalf("first start left %d entries, want at least 2", head)
				}
				var keepHash string
				if err := db.SQL.QueryRowContext(ctx, `SELECT hash FROM audit_entries WHERE seq = $1`, keep).Scan(&keepHash); err != nil {
					t.Fatal(err)
				}
				exec := func(q string, a ...any) {
					if _, err := db.SQL.ExecContext(ctx, q, a...); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				exec(`DELETE FROM audit_entries WHERE seq > $1`, keep)
				exec(`UPDATE audit_heads SET seq = $1, hash = $2`, keep, keepHash)
				// The checkpoint lines are deleted too; the copy kept elsewhere still has them.
				os.WriteFile(file, nil, 0o644)
				out, err := run()
				if err != nil {
					t.Fatalf("with the checkpoint file emptied the chain alone verifies (documented): %v\n%s", err, out)
				}
				out, err = run("--checkpoints", copyFile)
				if exitCode(err) != 1 {
					t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, out)
				}
				for _, want := range []string{"末尾の記録が削除されています", "entries at its end were deleted", copyFile, "entry #" + itoa(head)} {
					if !strings.Contains(out+err.Error(), want) {
						t.Errorf("output lacks %q:\n%s\n%v", want, out, err)
					}
				}
				if !strings.Contains(err.Error(), "一致しません") || !strings.Contains(err.Error(), "fails") {
					t.Errorf("error %v is not in both languages", err)
				}
			})
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestServeRefusesAKeyOthersMayRead(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "audit-key.pem")
	if _, _, err := auditlog.LoadOrCreateKey(keyFile); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := cli(t, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), "所有者以外") {
		t.Fatalf("serve with a key others may read: %v", err)
	}
}

func TestServeMetricsSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--metrics", "public"}, "off, loopback or token"},
		{[]string{"--metrics", "token"}, "--metrics-token"},
		{[]string{"--metrics-token", "0123456789abcdef"}, "only with --metrics token"},
	} {
		_, _, err := cli(t, append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error with %q", c.args, err, c.want)
		}
	}
}
