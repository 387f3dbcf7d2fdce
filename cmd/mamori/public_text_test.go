package main

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestPublicTextOfOlderEntries: an entry written before entries kept a public text is given
// the one a new entry gets by `mamori migrate`, and by `mamori serve` once it listens.
func TestPublicTextOfOlderEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		data, s, orgID, flags := kogeStarted(t, db)
		ctx, sys := t.Context(), access.System(orgID, "記録係")
		dept, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Assets.Create(ctx, sys, asset.Input{Number: "SV-1", Name: "住民情報システム", Kind: "server", DepartmentID: dept.ID,
			Class: map[string]string{"importance": "II"}})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.Logbooks.Create(ctx, sys, logbook.Input{Logbook: "fault_record", DepartmentID: dept.ID,
			Fields: map[string]any{"system": a.ID, "report": "画面が表示されない", "result": "再起動で復旧"}})
		if err != nil {
			t.Fatal(err)
		}
		public := func() sql.NullString {
			t.Helper()
			var p sql.NullString
			if err := data.SQL.QueryRowContext(ctx, `SELECT public_text FROM logbook_entries WHERE id = $1`, e.ID).Scan(&p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		fresh := public()
		if !fresh.Valid || !strings.Contains(fresh.String, "sv-1") || strings.Contains(fresh.String, "住民情報") {
			t.Fatalf("a new entry's public text: %+v", fresh)
		}
		older := func() {
			t.Helper()
			if _, err := data.SQL.ExecContext(ctx, `UPDATE logbook_entries SET public_text = NULL WHERE id = $1`, e.ID); err != nil {
				t.Fatal(err)
			}
		}

		older()
		out := mustCLI(t, append([]string{"migrate"}, flags...)...)
		if !strings.Contains(out, "logbook entries given a public search text: 1 ") || public() != fresh {
			t.Fatalf("migrate printed %q and left %+v, want %+v", out, public(), fresh)
		}
		if out := mustCLI(t, append([]string{"migrate"}, flags...)...); strings.Contains(out, "logbook") {
			t.Fatalf("a second migrate printed %q", out)
		}

		older()
		srv := startServe(t, append([]string{"--addr", "127.0.0.1:0"}, flags...)...)
		const logged = "logbook entries given a public search text"
		deadline := time.NewTimer(60 * time.Second) // a bound against hanging, not a time the fill must keep
		defer deadline.Stop()
		for !strings.Contains(srv.Stderr.String(), logged) {
			select {
			case <-srv.Stderr.written:
			case <-deadline.C:
				t.Fatalf("serve logged no fill:\n%s", srv.Stderr)
			}
		}
		if err := srv.Stop(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(srv.Stderr.String(), "entries=1") || public() != fresh {
			t.Fatalf("serve logged\n%s\nand left %+v, want %+v", srv.Stderr, public(), fresh)
		}
	})
}
