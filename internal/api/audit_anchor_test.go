package api

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditVerifyHoldsCheckpoints: the verification the API gives holds the chain against the
// signed checkpoints kept outside the database, and fails when the tail was cut off.
func TestAuditVerifyHoldsCheckpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		dir := t.TempDir()
		an := &auditlog.Anchor{KeyFile: filepath.Join(dir, "audit-key.pem"), File: filepath.Join(dir, "audit-checkpoints.jsonl")}
		f.svcs.Audit.Anchor = an
		c, written, err := an.Checkpoint(ctx, db.SQL, f.orgID, false, f.svcs.Now())
		if err != nil || !written {
			t.Fatalf("checkpoint: %v", err)
		}
		v := decodeAs[verifyResponse](t, f.do("GET", "/api/v1/audit/verify", f.admin, nil), http.StatusOK)
		if !v.OK || v.Anchor == nil || v.Anchor.Latest == nil || v.Anchor.Latest.Seq != c.Seq || v.Anchor.Latest.Hash != c.Hash ||
			v.Anchor.Fingerprint != c.Key || len(v.Anchor.Problems) != 0 {
			t.Fatalf("verify %+v, anchor %+v", v, v.Anchor)
		}
		var keepHash string
		if err := db.SQL.QueryRowContext(ctx, `SELECT hash FROM audit_entries WHERE org_id = $1 AND seq = 1`, f.orgID).Scan(&keepHash); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `DELETE FROM audit_entries WHERE org_id = $1 AND seq > 1`, f.orgID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `UPDATE audit_heads SET seq = 1, hash = $1 WHERE org_id = $2`, keepHash, f.orgID); err != nil {
			t.Fatal(err)
		}
		// The token's own use is logged, so the chain may have grown again past #1; either way it
		// no longer reaches the checkpoint with the same entry.
		v = decodeAs[verifyResponse](t, f.do("GET", "/api/v1/audit/verify", f.admin, nil), http.StatusOK)
		if v.OK || !v.Report.OK() || v.Anchor == nil || len(v.Anchor.Problems) != 1 || v.Anchor.Problems[0].Seq != c.Seq {
			t.Fatalf("verify %+v, anchor %+v", v, v.Anchor)
		}
		if k := v.Anchor.Problems[0].Kind; k != "shorter" && k != "differs" {
			t.Errorf("problem kind %q", k)
		}
	})
}
