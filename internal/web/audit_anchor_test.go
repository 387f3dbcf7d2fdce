package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditPageShowsCheckpoint: the audit page and the committee report show the latest signed
// checkpoint (seq, hash, time, key) for keeping on paper, and the audit page says when the chain
// no longer reaches it.
func TestAuditPageShowsCheckpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		expect(t, b.get("/audit"), http.StatusOK, "署名付きチェックポイント", "チェックポイントの保存先が設定されていません")

		dir := t.TempDir()
		an := &auditlog.Anchor{KeyFile: filepath.Join(dir, "audit-key.pem"), File: filepath.Join(dir, "audit-checkpoints.jsonl")}
		f.s.Audit.Anchor = an
		expect(t, b.get("/audit"), http.StatusOK, "チェックポイントはまだありません")
		ctx := context.Background()
		var orgID int64
		if err := db.SQL.QueryRow(`SELECT id FROM organizations`).Scan(&orgID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Policy.Use(ctx, access.System(orgID, "test"), "koge"); err != nil { // for the committee report
			t.Fatal(err)
		}
		c, _, err := an.Checkpoint(ctx, db.SQL, orgID, false, f.now)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, b.get("/audit"), http.StatusOK, "改ざんなし", "記録番号", "#"+strconv.FormatInt(c.Seq, 10), c.Hash, c.Key, "紙に控えて")
		expect(t, b.get("/compliance/report"), http.StatusOK, "署名付きチェックポイント", c.Hash, c.Key)

		// The tail is cut off and the head moved back, as someone with the database would.
		if _, err := db.SQL.Exec(`DELETE FROM audit_entries WHERE org_id = $1 AND seq > 1`, orgID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.Exec(`UPDATE audit_heads SET seq = 1, hash = (SELECT hash FROM audit_entries WHERE org_id = $1 AND seq = 1) WHERE org_id = $1`, orgID); err != nil {
			t.Fatal(err)
		}
		expect(t, b.post("/audit/verify", nil), http.StatusSeeOther, "/audit")
		r := b.get("/audit")
		expect(t, r, http.StatusOK, "チェックポイントと一致しません", "第"+strconv.FormatInt(c.Seq, 10)+"項目")
		lacks(t, r, "改ざんなし")
		expect(t, b.get("/compliance/report"), http.StatusOK, "チェックポイントと一致しません")
	})
}
