package logbook_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/logbook"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// assetLogbook returns a logbook of the pack with an asset field, and that field.
func assetLogbook(t *testing.T, p *policy.Compiled) (policy.Logbook, string) {
	t.Helper()
	for _, lb := range p.Logbooks {
		for _, fd := range lb.Fields {
			if fd.Type == "asset" {
				return lb, fd.ID
			}
		}
	}
	t.Fatal("the pack has no logbook that names an asset")
	return policy.Logbook{}, ""
}

// addAsset registers an asset of the department, of the highest class or not.
func (f *fixture) addAsset(t *testing.T, db *store.DB, number, name string, dept int64, highest bool) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := db.SQL.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, created_at, updated_at)
		VALUES ($1, $2, $3, 'server', $4, $5, $5) RETURNING id`, f.org, number, name, dept, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if highest {
		ax := f.pack.Classification.Axes[0]
		top := ax.Levels[0]
		for _, l := range ax.Levels {
			if l.Rank > top.Rank {
				top = l
			}
		}
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO asset_levels (asset_id, org_id, axis, level, rank) VALUES ($1, $2, $3, $4, $5)`,
			id, f.org, ax.ID, top.ID, top.Rank); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// withheldEntries registers 税務課's asset of the highest class (SEC-1 極秘サーバ) and an
// ordinary one of it (ZM-1 税務課の窓口端末), and has the program itself (an import, as 記録係)
// write in the pack's asset logbook 税務課's entry naming the secret and an entry of 総務課
// naming the ordinary asset. It returns the logbook, a platform administrator (from whom the
// secret is withheld) and the two entries.
func (f *fixture) withheldEntries(t *testing.T, db *store.DB) (lb policy.Logbook, platformAdmin access.Actor, secretEntry, otherEntry int64) {
	t.Helper()
	lb, field := assetLogbook(t, f.pack)
	secret := f.addAsset(t, db, "SEC-1", "極秘サーバ", f.zeimu, true)
	other := f.addAsset(t, db, "ZM-1", "税務課の窓口端末", f.zeimu, false)
	platformAdmin = access.Actor{OrgID: f.org, UserID: 90, Login: "admin", PlatformAdmin: true}
	writer := access.System(f.org, "記録係")
	write := func(dept, id int64) int64 {
		t.Helper()
		in := f.entry(lb)
		in.DepartmentID, in.Fields[field] = dept, id
		e, err := f.s.Logbooks.Create(context.Background(), writer, in)
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	return lb, platformAdmin, write(f.zeimu, secret), write(f.soumu, other)
}

// listed returns the ids of the logbook's entries the reader finds by the query, in the
// ledger's order, and the total the ledger reports.
func (f *fixture) listed(t *testing.T, who access.Actor, lb policy.Logbook, query string) ([]int64, int) {
	t.Helper()
	list, total, err := f.s.Logbooks.List(context.Background(), who, logbook.Filter{Logbook: lb.ID, Query: query, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range list {
		ids = append(ids, e.ID)
	}
	return ids, total
}

// TestReferencesToAssetsOutOfSight: an entry may name only an asset its writer may read, details
// included; any other is refused exactly as one that does not exist, so that the answer tells
// neither that it exists nor what it is called. An entry already naming such an asset shows
// its number only to a reader who may not see it, in the ledger, the export and the audit log.
func TestReferencesToAssetsOutOfSight(t *testing.T) {
	for _, packID := range []string{"toki", "abira-kyoiku"} {
		t.Run(packID, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newFixture(t, db, packID)
				lb, field := assetLogbook(t, f.pack)
				secret := f.addAsset(t, db, "SEC-1", "極秘サーバ", f.zeimu, true)
				other := f.addAsset(t, db, "ZM-1", "税務課の端末", f.zeimu, false)
				ownSecret := f.addAsset(t, db, "SEC-2", "総務課の極秘サーバ", f.soumu, true)
				platformAdmin := access.Actor{OrgID: f.org, UserID: 90, Login: "admin", PlatformAdmin: true}

				refused := func(who access.Actor, id int64) *apperr.Error {
					t.Helper()
					in := f.entry(lb)
					in.Fields[field] = id
					_, err := f.s.Logbooks.Create(ctx, who, in)
					if apperr.CodeOf(err) != apperr.Invalid {
						t.Fatalf("naming asset %d: %v", id, err)
					}
					return apperr.As(err)
				}
				missing := refused(f.clerk, 999999)
				for name, c := range map[string]struct {
					who access.Actor
					id  int64
				}{"another department's asset of the highest class": {f.clerk, secret},
					"another department's asset":                     {f.clerk, other},
					"the highest class, to a platform administrator": {platformAdmin, secret}} {
					got := refused(c.who, c.id)
					if got.Key != missing.Key || !reflect.DeepEqual(got.Fields, missing.Fields) || strings.Contains(got.Error(), "極秘") {
						t.Errorf("%s: %+v, a missing asset: %+v", name, got, missing)
					}
				}
				// The owning department's staff name their own asset of the highest class.
				in := f.entry(lb)
				in.Fields[field] = ownSecret
				if e, err := f.s.Logbooks.Create(ctx, f.clerk, in); err != nil || e.Display[field] != "SEC-2 総務課の極秘サーバ" {
					t.Fatalf("the owning department: %+v %v", e.Display, err)
				}

				// Written by the program itself (an import), the entry names 税務課's secret.
				in = f.entry(lb)
				in.DepartmentID, in.Fields[field] = f.zeimu, secret
				written, err := f.s.Logbooks.Create(ctx, f.admin, in)
				if err != nil || written.Display[field] != "SEC-1 極秘サーバ" {
					t.Fatalf("%+v %v", written.Display, err)
				}
				got, err := f.s.Logbooks.Get(ctx, platformAdmin, written.ID)
				if err != nil || got.Display[field] != "SEC-1" {
					t.Fatalf("the platform administrator reads %q (%v)", got.Display[field], err)
				}
				list, _, err := f.s.Logbooks.List(ctx, platformAdmin, logbook.Filter{Logbook: lb.ID, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := json.Marshal(list); len(list) != 2 || strings.Contains(string(b), "極秘") {
					t.Fatalf("the ledger shows the platform administrator: %s", b)
				}
				var exported strings.Builder
				if err := f.s.Logbooks.Each(ctx, platformAdmin, logbook.Filter{Logbook: lb.ID}, func(e logbook.Entry) error {
					exported.WriteString(e.Display[field] + "\n")
					return nil
				}); err != nil || strings.Contains(exported.String(), "極秘") {
					t.Fatalf("the export shows %q (%v)", exported.String(), err)
				}
				if got, err := f.s.Logbooks.Get(ctx, f.auditor, written.ID); err != nil || got.Display[field] != "SEC-1 極秘サーバ" {
					t.Fatalf("the auditor reads %q (%v)", got.Display[field], err)
				}
				entries := func(who access.Actor) auditlog.Entry {
					list, _, err := f.s.Audit.List(ctx, who, auditlog.Filter{Entity: "logbook_entry", EntityID: strconv.FormatInt(written.ID, 10)})
					if err != nil || len(list) != 1 {
						t.Fatalf("%d entries %v", len(list), err)
					}
					return list[0]
				}
				if e := entries(platformAdmin); !e.Withheld || strings.Contains(e.After, "極秘") {
					t.Fatalf("the platform administrator reads the audit entry: %+v", e)
				}
				if e := entries(f.auditor); e.Withheld || !strings.Contains(e.After, "極秘サーバ") {
					t.Fatalf("the auditor does not read the audit entry: %+v", e)
				}
			})
		})
	}
}

// TestSearchFindsNoWithheldName: a search does not find an entry by the name of an asset that
// the entry shows the reader by number only, or which entries match would tell the name — of an
// asset of the highest class whose details are not for them, and of an asset of a department
// they may not read. The number they are shown, and the rest of the entry, still find it; a
// reader who may see the asset finds the entry by its name.
func TestSearchFindsNoWithheldName(t *testing.T) {
	for _, packID := range []string{"toki", "abira-kyoiku"} {
		t.Run(packID, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				f := newFixture(t, db, packID)
				lb, platformAdmin, secretEntry, otherEntry := f.withheldEntries(t, db)

				found := func(who access.Actor, query string) []int64 {
					t.Helper()
					ids, total := f.listed(t, who, lb, query)
					if total != len(ids) {
						t.Fatalf("%q: total %d, listed %v", query, total, ids)
					}
					var exported []int64
					if err := f.s.Logbooks.Each(ctx, who, logbook.Filter{Logbook: lb.ID, Query: query}, func(e logbook.Entry) error {
						exported = append(exported, e.ID)
						return nil
					}); err != nil || !reflect.DeepEqual(exported, ids) {
						t.Fatalf("%q: exported %v, listed %v (%v)", query, exported, ids, err)
					}
					return ids
				}
				none, both := []int64(nil), []int64{otherEntry, secretEntry}
				for _, c := range []struct {
					name  string
					who   access.Actor
					query string
					want  []int64
				}{
					{"a platform administrator, the secret's name", platformAdmin, "極秘", none},
					{"a platform administrator, the secret's whole name", platformAdmin, "極秘サーバ", none},
					{"a platform administrator, the name with a word they see", platformAdmin, "記録係 極秘", none},
					{"a platform administrator, the secret's number", platformAdmin, "sec-1", []int64{secretEntry}},
					{"a platform administrator, the number in full width", platformAdmin, "ＳＥＣ－１", []int64{secretEntry}},
					{"a platform administrator, a word of the entry", platformAdmin, "記録係", both},
					{"a platform administrator, an ordinary asset's name", platformAdmin, "窓口端末", []int64{otherEntry}},
					{"税務課's staff, their own secret's name", f.outsider, "極秘", []int64{secretEntry}},
					{"the auditor, the secret's name", f.auditor, "極秘サーバ", []int64{secretEntry}},
					{"総務課's staff, 税務課's asset's name", f.clerk, "窓口端末", none},
					{"総務課's staff, 税務課's asset's number", f.clerk, "zm-1", []int64{otherEntry}},
					{"総務課's staff, a word of the entry", f.clerk, "記録係", []int64{otherEntry}},
					{"the auditor, 税務課's asset's name", f.auditor, "窓口端末", []int64{otherEntry}},
				} {
					if got := found(c.who, c.query); !reflect.DeepEqual(got, c.want) {
						t.Errorf("%s (%q): %v, want %v", c.name, c.query, got, c.want)
					}
				}

				// An entry written before entries kept a public text is not found by any word
				// by a reader from whom an asset it names is withheld; by everyone else as before.
				if _, err := db.SQL.ExecContext(ctx, `UPDATE logbook_entries SET public_text = NULL WHERE id = $1`, secretEntry); err != nil {
					t.Fatal(err)
				}
				if got := found(platformAdmin, "極秘"); got != nil {
					t.Errorf("an older entry, by the secret's name: %v", got)
				}
				if got := found(platformAdmin, "記録係"); !reflect.DeepEqual(got, []int64{otherEntry}) {
					t.Errorf("an older entry, by a word of it: %v", got)
				}
				if got := found(f.auditor, "極秘"); !reflect.DeepEqual(got, []int64{secretEntry}) {
					t.Errorf("an older entry, the auditor: %v", got)
				}
			})
		})
	}
}
