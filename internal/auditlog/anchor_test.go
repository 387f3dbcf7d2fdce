package auditlog_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// newAnchor keeps a key and a checkpoint file in a fresh folder, as serve does in its data
// folder.
func newAnchor(t *testing.T) *auditlog.Anchor {
	dir := t.TempDir()
	return &auditlog.Anchor{KeyFile: filepath.Join(dir, "audit-key.pem"), File: filepath.Join(dir, "audit-checkpoints.jsonl")}
}

func checkpoint(t *testing.T, a *auditlog.Anchor, db *store.DB, orgID int64) auditlog.Checkpoint {
	t.Helper()
	c, written, err := a.Checkpoint(context.Background(), db.SQL, orgID, false, t0.Add(time.Hour))
	if err != nil || !written {
		t.Fatalf("checkpoint: written %v, %v", written, err)
	}
	return c
}

// check does what `mamori verify` does: reads the checkpoints, verifies the chain, and holds
// the chain against them.
func check(t *testing.T, a *auditlog.Anchor, db *store.DB, orgID int64, trusted ...ed25519.PublicKey) (auditlog.Report, []auditlog.AnchorProblem) {
	t.Helper()
	cps, err := a.Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(trusted) == 0 {
		trusted = []ed25519.PublicKey{readPub(t, a.KeyFile)}
	}
	r := verify(t, db, orgID)
	ps, err := auditlog.CheckCheckpoints(context.Background(), db.SQL, cps, trusted)
	if err != nil {
		t.Fatal(err)
	}
	return r, ps
}

func readPub(t *testing.T, path string) ed25519.PublicKey {
	t.Helper()
	pub, err := auditlog.ReadPublicKey(path)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func wantAnchorProblem(t *testing.T, ps []auditlog.AnchorProblem, kind string, seq int64) {
	t.Helper()
	for _, p := range ps {
		if p.Kind == kind && p.Seq == seq {
			return
		}
	}
	t.Fatalf("problems %+v, want %s at #%d", ps, kind, seq)
}

// recompute rewrites entries from index `from` on with fresh links and hashes, and moves the
// head to the last, as someone with write access to the database but not the key would.
func recompute(t *testing.T, db *store.DB, orgID int64, entries []auditlog.Entry, from int) {
	t.Helper()
	prev := auditlog.Genesis
	if from > 0 {
		prev = entries[from-1].Hash
	}
	for i := from; i < len(entries); i++ {
		e := &entries[i]
		e.PrevHash = prev
		e.Hash = e.ComputeHash()
		exec(t, db, `UPDATE audit_entries SET actor = $1, after_json = $2, prev_hash = $3, hash = $4 WHERE org_id = $5 AND seq = $6`,
			e.Actor, e.After, e.PrevHash, e.Hash, orgID, e.Seq)
		prev = e.Hash
	}
	last := entries[len(entries)-1]
	exec(t, db, `UPDATE audit_heads SET seq = $1, hash = $2 WHERE org_id = $3`, last.Seq, last.Hash, orgID)
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeLines(t *testing.T, path string, ls []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAnchorAgainstDatabaseWriters tampers with the chain, and with the checkpoint file, as
// someone who can write to the database (and to the file, but who has not the key) would, and
// expects the checkpoints to catch what the chain alone cannot.
func TestAnchorAgainstDatabaseWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fresh := func(t *testing.T) (int64, []auditlog.Entry, *auditlog.Anchor) {
			orgID := newOrg(t, db, strings.ReplaceAll(t.Name(), "/", "_"))
			return orgID, appendN(t, db, orgID, 5), newAnchor(t)
		}

		t.Run("a checkpoint of an intact chain holds, and the key is its owner's alone", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			c := checkpoint(t, a, db, orgID)
			if c.Org != orgID || c.Seq != 5 || c.Hash != entries[4].Hash || c.Key != auditlog.Fingerprint(readPub(t, a.KeyFile)) {
				t.Fatalf("checkpoint %+v", c)
			}
			if r, ps := check(t, a, db, orgID); !r.OK() || len(ps) != 0 {
				t.Fatalf("report %+v, problems %+v", r, ps)
			}
			st, err := os.Stat(a.KeyFile)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("key file: %v, %v", st.Mode(), err)
			}
			if got := lines(t, a.File); len(got) != 1 || !strings.Contains(got[0], `"seq":5`) {
				t.Fatalf("checkpoint file %q", got)
			}
		})

		t.Run("truncation after a verification fails against the checkpoint", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			checkpoint(t, a, db, orgID)
			// The tail is cut off and the head moved back: the chain alone still verifies.
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq > 3`, orgID)
			exec(t, db, `UPDATE audit_heads SET seq = 3, hash = $1 WHERE org_id = $2`, entries[2].Hash, orgID)
			r, ps := check(t, a, db, orgID)
			if !r.OK() {
				t.Fatalf("the truncated chain should verify on its own: %+v", r.Problem)
			}
			wantAnchorProblem(t, ps, "shorter", 5)
			if ps[0].Detail != "3" {
				t.Errorf("detail %q, want the head's 3", ps[0].Detail)
			}
			// New entries after the cut make the chain long again, but not the same.
			appendN(t, db, orgID, 3)
			r, ps = check(t, a, db, orgID)
			if !r.OK() {
				t.Fatalf("report %+v", r.Problem)
			}
			wantAnchorProblem(t, ps, "differs", 5)
		})

		t.Run("full recomputation without the key fails against the checkpoint", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			checkpoint(t, a, db, orgID)
			entries[1].Actor = "suzuki"
			recompute(t, db, orgID, entries, 1)
			r, ps := check(t, a, db, orgID)
			if !r.OK() {
				t.Fatalf("the recomputed chain should verify on its own: %+v", r.Problem)
			}
			wantAnchorProblem(t, ps, "differs", 5)
			if len(ps) != 1 || ps[0].Detail != entries[4].Hash {
				t.Errorf("problems %+v", ps)
			}
		})

		t.Run("recomputation after the last checkpoint is not caught", func(t *testing.T) {
			// What the checkpoints cannot prove (docs/SECURITY.md): entries after the last one.
			orgID, entries, a := fresh(t)
			checkpoint(t, a, db, orgID)
			more := appendN(t, db, orgID, 2)
			more[0].After = `{"version":6,"title":"改ざん"}`
			recompute(t, db, orgID, append(entries, more...), 5)
			if r, ps := check(t, a, db, orgID); !r.OK() || len(ps) != 0 {
				t.Fatalf("report %+v, problems %+v", r.Problem, ps)
			}
		})

		t.Run("a checkpoint is not signed for a rewritten chain", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			checkpoint(t, a, db, orgID)
			entries[2].After = `{"version":3,"title":"改ざん"}`
			recompute(t, db, orgID, entries, 2)
			_, written, err := a.Checkpoint(ctx, db.SQL, orgID, false, t0.Add(2*time.Hour))
			if !errors.Is(err, auditlog.ErrNotAnchored) || written {
				t.Fatalf("written %v, err %v; want ErrNotAnchored", written, err)
			}
			if got := lines(t, a.File); len(got) != 1 {
				t.Fatalf("file has %d lines, want the first checkpoint only", len(got))
			}
		})

		t.Run("a forged checkpoint line without the key fails its signature", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			real := checkpoint(t, a, db, orgID)
			// The chain is rewritten, the real line replaced by one for the new head that
			// claims the real key but is signed by another.
			entries[0].Actor = "mallory"
			recompute(t, db, orgID, entries, 0)
			_, other, _ := ed25519.GenerateKey(rand.Reader)
			forged := auditlog.SignCheckpoint(other, orgID, 5, entries[4].Hash, real.At)
			forged.Key = real.Key
			writeLines(t, a.File, []string{strings.TrimSpace(string(forged.Line()))})
			r, ps := check(t, a, db, orgID)
			if !r.OK() {
				t.Fatalf("report %+v", r.Problem)
			}
			wantAnchorProblem(t, ps, "bad_signature", 5)
			// The same line with its own key's fingerprint is from an unknown key.
			forged = auditlog.SignCheckpoint(other, orgID, 5, entries[4].Hash, real.At)
			writeLines(t, a.File, []string{strings.TrimSpace(string(forged.Line())), `{"org":1,"seq":"x"}`})
			_, ps = check(t, a, db, orgID)
			wantAnchorProblem(t, ps, "unknown_key", 5)
			if len(ps) != 2 || ps[1].Kind != "malformed" || ps[1].Line != 2 {
				t.Fatalf("problems %+v, want the second line malformed", ps)
			}
			// A real line whose hash was edited no longer verifies either.
			edited := real
			edited.Hash = entries[4].Hash
			writeLines(t, a.File, []string{strings.TrimSpace(string(edited.Line()))})
			_, ps = check(t, a, db, orgID)
			wantAnchorProblem(t, ps, "bad_signature", 5)
		})

		t.Run("deleted checkpoint lines leave the chain held against the rest", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			first := checkpoint(t, a, db, orgID)
			appendN(t, db, orgID, 2)
			second := checkpoint(t, a, db, orgID)
			if first.Seq != 5 || second.Seq != 7 {
				t.Fatalf("checkpoints at %d and %d", first.Seq, second.Seq)
			}
			// The second line goes, and the chain is cut back to the first checkpoint: what
			// is left of the file still holds, which is why copies are kept elsewhere.
			writeLines(t, a.File, lines(t, a.File)[:1])
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq > 5`, orgID)
			exec(t, db, `UPDATE audit_heads SET seq = 5, hash = $1 WHERE org_id = $2`, entries[4].Hash, orgID)
			if r, ps := check(t, a, db, orgID); !r.OK() || len(ps) != 0 {
				t.Fatalf("report %+v, problems %+v", r.Problem, ps)
			}
			// A copy of the whole file kept elsewhere still catches it.
			copyFile := filepath.Join(t.TempDir(), "copy.jsonl")
			writeLines(t, copyFile, []string{strings.TrimSpace(string(first.Line())), strings.TrimSpace(string(second.Line()))})
			a.Copies = []string{copyFile}
			_, ps := check(t, a, db, orgID)
			wantAnchorProblem(t, ps, "shorter", 7)
			if ps[0].File != copyFile || ps[0].Line != 2 {
				t.Errorf("problem %+v, want the copy's line 2", ps[0])
			}
			// Cut below the first checkpoint, the remaining line catches it too.
			a.Copies = nil
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq > 4`, orgID)
			exec(t, db, `UPDATE audit_heads SET seq = 4, hash = $1 WHERE org_id = $2`, entries[3].Hash, orgID)
			_, ps = check(t, a, db, orgID)
			wantAnchorProblem(t, ps, "shorter", 5)
		})

		t.Run("a checkpoint file from another key is not believed", func(t *testing.T) {
			orgID, _, a := fresh(t)
			checkpoint(t, a, db, orgID)
			other := newAnchor(t)
			checkpoint(t, other, db, orgID)
			a.Copies = []string{other.File}
			_, ps := check(t, a, db, orgID)
			if len(ps) != 1 || ps[0].Kind != "unknown_key" || ps[0].File != other.File ||
				ps[0].Detail != auditlog.Fingerprint(readPub(t, other.KeyFile)) {
				t.Fatalf("problems %+v", ps)
			}
			// Given the other public key (--audit-pubkey), it is the first file that fails.
			_, ps = check(t, a, db, orgID, readPub(t, other.KeyFile))
			if len(ps) != 1 || ps[0].Kind != "unknown_key" || ps[0].File != a.File {
				t.Fatalf("problems %+v", ps)
			}
			// Both keys trusted: both files hold.
			if _, ps = check(t, a, db, orgID, readPub(t, a.KeyFile), readPub(t, other.KeyFile)); len(ps) != 0 {
				t.Fatalf("problems %+v", ps)
			}
		})

		t.Run("a checkpoint of an organisation without a chain fails", func(t *testing.T) {
			_, _, a := fresh(t)
			key, _, err := auditlog.LoadOrCreateKey(a.KeyFile)
			if err != nil {
				t.Fatal(err)
			}
			c := auditlog.SignCheckpoint(key, 987654, 3, strings.Repeat("c", 64), t0)
			if err := auditlog.AppendCheckpoint(a.File, c); err != nil {
				t.Fatal(err)
			}
			cps, err := a.Read()
			if err != nil {
				t.Fatal(err)
			}
			ps, err := auditlog.CheckCheckpoints(ctx, db.SQL, cps, []ed25519.PublicKey{key.Public().(ed25519.PublicKey)})
			if err != nil {
				t.Fatal(err)
			}
			wantAnchorProblem(t, ps, "no_chain", 3)
		})

		t.Run("of two processes one writes the claimed checkpoint, and an unchanged head none", func(t *testing.T) {
			orgID, _, a := fresh(t)
			b := &auditlog.Anchor{KeyFile: a.KeyFile, File: a.File}
			_, w1, err1 := a.Checkpoint(ctx, db.SQL, orgID, true, t0)
			_, w2, err2 := b.Checkpoint(ctx, db.SQL, orgID, true, t0)
			if err1 != nil || err2 != nil || !w1 || w2 {
				t.Fatalf("first %v %v, second %v %v", w1, err1, w2, err2)
			}
			if _, w, err := a.Checkpoint(ctx, db.SQL, orgID, true, t0.Add(time.Hour)); err != nil || w {
				t.Fatalf("unchanged head: written %v, %v", w, err)
			}
			appendN(t, db, orgID, 1)
			c, w, err := b.Checkpoint(ctx, db.SQL, orgID, true, t0.Add(time.Hour))
			if err != nil || !w || c.Seq != 6 {
				t.Fatalf("after an append: %+v written %v, %v", c, w, err)
			}
			if got := lines(t, a.File); len(got) != 2 {
				t.Fatalf("file has %d lines, want 2", len(got))
			}
		})

		t.Run("the audit status shows the latest checkpoint and what fails", func(t *testing.T) {
			orgID, entries, a := fresh(t)
			c := checkpoint(t, a, db, orgID)
			svc := &auditlog.Service{DB: db, Anchor: a}
			st, err := svc.FullVerify(ctx, auditorOf(orgID))
			if err != nil {
				t.Fatal(err)
			}
			if !st.OK() || st.Anchor == nil || st.Anchor.Latest == nil || st.Anchor.Latest.Hash != c.Hash || st.Anchor.Fingerprint != c.Key {
				t.Fatalf("status %+v, anchor %+v", st, st.Anchor)
			}
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq > 2`, orgID)
			exec(t, db, `UPDATE audit_heads SET seq = 2, hash = $1 WHERE org_id = $2`, entries[1].Hash, orgID)
			for name, get := range map[string]func(context.Context, any) (auditlog.Status, error){
				"page": func(ctx context.Context, _ any) (auditlog.Status, error) { return svc.Status(ctx, auditorOf(orgID)) },
				"full": func(ctx context.Context, _ any) (auditlog.Status, error) {
					return svc.FullVerify(ctx, auditorOf(orgID))
				},
			} {
				st, err := get(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if st.OK() || !st.Report.OK() || st.Anchor.Latest != nil {
					t.Fatalf("%s: ok %v, chain %+v, anchor %+v", name, st.OK(), st.Report, st.Anchor)
				}
				wantAnchorProblem(t, st.Anchor.Problems, "shorter", 5)
			}
			an, err := svc.Anchored(ctx, clerk(orgID))
			if err != nil || an.OK() {
				t.Fatalf("anchored %+v, %v", an, err)
			}
		})
	})
}

func TestAnchorKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "audit-key.pem")
	key, created, err := auditlog.LoadOrCreateKey(path)
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	again, created, err := auditlog.LoadOrCreateKey(path)
	if err != nil || created || !again.Equal(key) {
		t.Fatalf("second load: created %v, same %v, %v", created, again.Equal(key), err)
	}
	pubFile := filepath.Join(dir, "audit-key.pub")
	if err := os.WriteFile(pubFile, auditlog.PublicKeyPEM(key.Public().(ed25519.PublicKey)), 0o644); err != nil {
		t.Fatal(err)
	}
	if pub := readPub(t, pubFile); !pub.Equal(key.Public()) {
		t.Fatal("public key read back differs")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := auditlog.LoadKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key others may read: %v", err)
	}
}
