package auditlog_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestTamperDetection alters a five-entry chain behind the application's back, as someone with
// direct database access would, and expects Verify to name where the chain breaks.
func TestTamperDetection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fresh := func(t *testing.T) (int64, []auditlog.Entry) {
			orgID := newOrg(t, db, strings.ReplaceAll(t.Name(), "/", "_"))
			return orgID, appendN(t, db, orgID, 5)
		}
		wantProblem := func(t *testing.T, r auditlog.Report, seq int64, reason string) {
			t.Helper()
			if r.OK() {
				t.Fatalf("tampered chain verified: %+v", r)
			}
			if r.Problem.Seq != seq || !strings.Contains(r.Problem.Reason, reason) {
				t.Fatalf("problem = %+v, want seq %d with %q", r.Problem, seq, reason)
			}
		}

		for _, c := range []struct{ name, set string }{
			{"changed actor", `actor = 'suzuki'`},
			{"changed after_json", `after_json = '{"version":3,"title":"改ざん"}'`},
			{"changed before_json", `before_json = ''`},
			{"changed entity_id", `entity_id = '999'`},
			{"changed remote address", `remote_addr = '203.0.113.9'`},
			{"changed actor user id", `actor_user_id = NULL`},
		} {
			t.Run(c.name+" of a middle entry", func(t *testing.T) {
				orgID, _ := fresh(t)
				exec(t, db, `UPDATE audit_entries SET `+c.set+` WHERE org_id = $1 AND seq = 3`, orgID)
				wantProblem(t, verify(t, db, orgID), 3, "altered")
			})
		}

		t.Run("changed time of a middle entry", func(t *testing.T) {
			orgID, entries := fresh(t)
			exec(t, db, `UPDATE audit_entries SET at = $1 WHERE org_id = $2 AND seq = 3`, entries[2].At.Add(-24*time.Hour), orgID)
			wantProblem(t, verify(t, db, orgID), 3, "altered")
		})

		t.Run("deleted middle entry", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq = 3`, orgID)
			wantProblem(t, verify(t, db, orgID), 3, "missing")
		})

		t.Run("deleted first entry", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq = 1`, orgID)
			wantProblem(t, verify(t, db, orgID), 1, "missing")
		})

		t.Run("deleted last entry", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq = 5`, orgID)
			r := verify(t, db, orgID)
			wantProblem(t, r, 5, "missing")
			if r.HeadSeq != 5 || r.Entries != 4 {
				t.Errorf("report = %+v", r)
			}
		})

		t.Run("deleted last two entries", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `DELETE FROM audit_entries WHERE org_id = $1 AND seq >= 4`, orgID)
			wantProblem(t, verify(t, db, orgID), 4, "4 to 5")
		})

		t.Run("reordered entries", func(t *testing.T) {
			orgID, _ := fresh(t)
			// A temporary seq dodges the (org_id, seq) unique constraint during the swap.
			exec(t, db, `UPDATE audit_entries SET seq = -1 WHERE org_id = $1 AND seq = 2`, orgID)
			exec(t, db, `UPDATE audit_entries SET seq = 2 WHERE org_id = $1 AND seq = 4`, orgID)
			exec(t, db, `UPDATE audit_entries SET seq = 4 WHERE org_id = $1 AND seq = -1`, orgID)
			wantProblem(t, verify(t, db, orgID), 2, "does not link")
		})

		t.Run("changed hash column alone", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `UPDATE audit_entries SET hash = $1 WHERE org_id = $2 AND seq = 3`, strings.Repeat("a", 64), orgID)
			wantProblem(t, verify(t, db, orgID), 3, "altered")
		})

		t.Run("changed hash of the last entry", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `UPDATE audit_entries SET hash = $1 WHERE org_id = $2 AND seq = 5`, strings.Repeat("b", 64), orgID)
			wantProblem(t, verify(t, db, orgID), 5, "altered")
		})

		t.Run("rewritten entry with a recomputed hash breaks the next link", func(t *testing.T) {
			orgID, entries := fresh(t)
			e := entries[2]
			e.Actor = "suzuki"
			exec(t, db, `UPDATE audit_entries SET actor = $1, hash = $2 WHERE org_id = $3 AND seq = 3`, e.Actor, e.ComputeHash(), orgID)
			wantProblem(t, verify(t, db, orgID), 4, "does not link")
		})

		t.Run("rewritten last entry with a recomputed hash does not match the head", func(t *testing.T) {
			orgID, entries := fresh(t)
			e := entries[4]
			e.After = `{"version":5,"title":"改ざん"}`
			exec(t, db, `UPDATE audit_entries SET after_json = $1, hash = $2 WHERE org_id = $3 AND seq = 5`, e.After, e.ComputeHash(), orgID)
			wantProblem(t, verify(t, db, orgID), 5, "head")
		})

		t.Run("forged entry beyond the head is not counted and blocks a fork", func(t *testing.T) {
			orgID, entries := fresh(t)
			forged := entries[4]
			forged.Seq, forged.PrevHash, forged.Actor = 6, entries[4].Hash, "mallory"
			forged.Hash = forged.ComputeHash()
			exec(t, db, `INSERT INTO audit_entries (org_id, seq, at, actor, entity, entity_id, action, prev_hash, hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				orgID, forged.Seq, forged.At, forged.Actor, forged.Entity, forged.EntityID, forged.Action, forged.PrevHash, forged.Hash)
			// Verify reads only up to the head: a row past it is what a concurrent append looks
			// like while it commits, so it is left for the next run.
			r := verify(t, db, orgID)
			if !r.OK() || r.Entries != 5 || r.HeadSeq != 5 || r.HeadHash != entries[4].Hash {
				t.Fatalf("report = %+v, problem %+v", r, r.Problem)
			}
			// The next real entry takes seq 6 and collides with the forgery: the chain cannot
			// silently fork, and the failed append leaves the head where it was.
			ctx := context.Background()
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := auditlog.Append(ctx, tx, clerk(orgID), t0, auditlog.Event{Entity: "x", Action: "x"})
				return err
			})
			if err == nil || !store.IsUniqueViolation(err) {
				t.Fatalf("append after forgery: %v, want a unique violation", err)
			}
			if r := verify(t, db, orgID); !r.OK() || r.HeadSeq != 5 {
				t.Fatalf("after the failed append: %+v, problem %+v", r, r.Problem)
			}
		})

		t.Run("service verify reports the problem to an auditor", func(t *testing.T) {
			orgID, _ := fresh(t)
			exec(t, db, `UPDATE audit_entries SET actor = 'suzuki' WHERE org_id = $1 AND seq = 2`, orgID)
			svc := &auditlog.Service{DB: db}
			r, err := svc.Verify(context.Background(), auditorOf(orgID))
			if err != nil {
				t.Fatal(err)
			}
			wantProblem(t, r, 2, "altered")
		})
	})
}
