package logbook_test

import (
	"context"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"mamori/internal/access"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestFillPublicText: an entry written before entries kept a public text gets, from the pack,
// the public text a new entry gets; a reader from whom an asset it names is withheld then finds
// it by the asset's number and by the rest of the entry, and still not by the asset's name. The
// fill writes only entries without one, in batches, and several processes may run it at once.
func TestFillPublicText(t *testing.T) {
	for _, packID := range []string{"toki", "abira-kyoiku"} {
		t.Run(packID, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newFixture(t, db, packID)
				lb, platformAdmin, secretEntry, otherEntry := f.withheldEntries(t, db)
				// An entry of a logbook that names staff or a department and no asset.
				var plainEntry int64
				for _, l := range f.pack.Logbooks {
					names := false
					for _, fd := range l.Fields {
						names = names || fd.Type == "asset"
					}
					if names {
						continue
					}
					in := f.entry(l)
					e, err := f.s.Logbooks.Create(ctx, f.clerk, in)
					if err != nil || len(e.Display) == 0 {
						continue
					}
					plainEntry = e.ID
					break
				}
				if plainEntry == 0 && packID == "toki" {
					t.Fatal("the pack has no logbook whose entry names staff or a department and no asset")
				}

				// What a new entry stores, and then an older register: every entry without one.
				texts := func() map[int64]*string {
					t.Helper()
					rows, err := db.SQL.QueryContext(ctx, `SELECT id, public_text FROM logbook_entries WHERE org_id = $1`, f.org)
					if err != nil {
						t.Fatal(err)
					}
					defer rows.Close()
					out := map[int64]*string{}
					for rows.Next() {
						var id int64
						var public *string
						if err := rows.Scan(&id, &public); err != nil {
							t.Fatal(err)
						}
						out[id] = public
					}
					return out
				}
				fresh := texts()
				if *fresh[secretEntry] == "" || plainEntry != 0 && *fresh[plainEntry] != "" {
					t.Fatalf("a new entry's public text: %q, of one naming no asset: %s", *fresh[secretEntry], quoted(fresh[plainEntry]))
				}
				if _, err := db.SQL.ExecContext(ctx, `UPDATE logbook_entries SET public_text = NULL WHERE org_id = $1`, f.org); err != nil {
					t.Fatal(err)
				}

				found := func(who access.Actor, query string) []int64 {
					t.Helper()
					ids, _ := f.listed(t, who, lb, query)
					return ids
				}
				if got := found(platformAdmin, "sec-1"); got != nil {
					t.Fatalf("before the fill, an older entry is found by its number: %v", got)
				}

				n, err := f.s.Logbooks.FillPublicText(ctx, f.org)
				if err != nil || n != len(fresh) {
					t.Fatalf("filled %d of %d entries (%v)", n, len(fresh), err)
				}
				filled := texts()
				for id, want := range fresh {
					if got := filled[id]; got == nil || *got != *want {
						t.Errorf("entry %d: public text %s, a new entry's %q", id, quoted(got), *want)
					}
				}

				none, both := []int64(nil), []int64{otherEntry, secretEntry}
				for _, c := range []struct {
					name  string
					who   access.Actor
					query string
					want  []int64
				}{
					{"a platform administrator, the secret's name", platformAdmin, "極秘", none},
					{"a platform administrator, the name with a word they see", platformAdmin, "記録係 極秘", none},
					{"a platform administrator, the secret's number", platformAdmin, "sec-1", []int64{secretEntry}},
					{"a platform administrator, a word of the entry", platformAdmin, "記録係", both},
					{"総務課's staff, 税務課's asset's name", f.clerk, "窓口端末", none},
					{"総務課's staff, 税務課's asset's number", f.clerk, "zm-1", []int64{otherEntry}},
					{"総務課's staff, a word of the entry", f.clerk, "記録係", []int64{otherEntry}},
					{"the auditor, the secret's name", f.auditor, "極秘サーバ", []int64{secretEntry}},
				} {
					if got := found(c.who, c.query); !reflect.DeepEqual(got, c.want) {
						t.Errorf("%s (%q): %v, want %v", c.name, c.query, got, c.want)
					}
				}

				// Again: nothing is left to fill, and a text already written is not touched.
				if _, err := db.SQL.ExecContext(ctx, `UPDATE logbook_entries SET public_text = 'kept  ' WHERE id = $1`, secretEntry); err != nil {
					t.Fatal(err)
				}
				if n, err := f.s.Logbooks.FillPublicText(ctx, f.org); err != nil || n != 0 {
					t.Fatalf("a second fill wrote %d (%v)", n, err)
				}
				if got := texts()[secretEntry]; got == nil || *got != "kept  " {
					t.Fatalf("a second fill changed a written text: %s", quoted(got))
				}

				// A register of more than a batch, filled by two processes at once: each entry is
				// written once, by one of them, with the text its original has.
				if _, err := db.SQL.ExecContext(ctx, `UPDATE logbook_entries SET public_text = $1 WHERE id = $2`, *fresh[secretEntry], secretEntry); err != nil {
					t.Fatal(err)
				}
				// Copies of the two entries with an asset, without a public text, doubled to 1,024.
				dup := `INSERT INTO logbook_entries (org_id, logbook, department_id, occurred_at, fields_json, display_json,
					search_text, public_text, visitor, escort_staff_id, status, written_by_user_id, written_by_staff_id, written_by,
					written_by_name, created_at)
					SELECT org_id, logbook, department_id, occurred_at, fields_json, display_json, search_text, NULL, visitor,
					escort_staff_id, status, written_by_user_id, written_by_staff_id, written_by, written_by_name, created_at
					FROM logbook_entries WHERE org_id = $1 AND `
				if _, err := db.SQL.ExecContext(ctx, dup+`id IN ($2, $3)`, f.org, secretEntry, otherEntry); err != nil {
					t.Fatal(err)
				}
				for range 9 {
					if _, err := db.SQL.ExecContext(ctx, dup+`public_text IS NULL`, f.org); err != nil {
						t.Fatal(err)
					}
				}
				var copies int
				if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM logbook_entries WHERE org_id = $1 AND public_text IS NULL`,
					f.org).Scan(&copies); err != nil || copies != 1024 {
					t.Fatalf("%d copies (%v)", copies, err)
				}
				var wg sync.WaitGroup
				counts := make([]int, 2)
				errs := make([]error, 2)
				for i := range counts {
					wg.Add(1)
					go func() {
						defer wg.Done()
						counts[i], errs[i] = f.s.Logbooks.FillPublicText(ctx, f.org)
					}()
				}
				wg.Wait()
				if errs[0] != nil || errs[1] != nil || counts[0]+counts[1] != copies {
					t.Fatalf("two fills wrote %v of %d (%v)", counts, copies, errs)
				}
				rows, err := db.SQL.QueryContext(ctx, `SELECT count(*), public_text FROM logbook_entries WHERE org_id = $1 AND logbook = $2
					GROUP BY public_text ORDER BY count(*)`, f.org, lb.ID)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				got := map[string]int{}
				for rows.Next() {
					var n int
					var public *string
					if err := rows.Scan(&n, &public); err != nil || public == nil {
						t.Fatalf("an entry without a public text (%v)", err)
					}
					got[*public] = n
				}
				if want := map[string]int{*fresh[secretEntry]: 1 + copies/2, *fresh[otherEntry]: 1 + copies/2}; !reflect.DeepEqual(got, want) {
					t.Fatalf("public texts %v, want %v", got, want)
				}
				if all, err := f.s.Logbooks.FillPublicTexts(ctx); err != nil || all[f.org] != 0 {
					t.Fatalf("the fill of every organisation: %v (%v)", all, err)
				}
			})
		})
	}
}

// quoted is a nullable text as Go would write it, or NULL.
func quoted(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}
