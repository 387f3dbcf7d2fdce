package auditlog_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestReaders: an entry is shown in full only when the reader of its kind clears it; a kind
// without a reader is withheld from everyone but the program itself, and a withheld entry
// still says who did what to which record, and when, and still verifies.
func TestReaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgID := newOrg(t, db, "readers")
		for i, kind := range []string{"department", "secret", "unknown", "secret"} {
			appendOne(t, db, clerk(orgID), t0.Add(time.Duration(i)*time.Minute), auditlog.Event{Entity: kind, EntityID: i + 1,
				Action: kind + ".update", Before: map[string]any{"name": "旧" + kind}, After: map[string]any{"name": "新" + kind}})
		}
		// The rule of "secret": only its record 2 is readable.
		secret := func(_ context.Context, _ access.Actor, entries []auditlog.Entry) ([]bool, error) {
			out := make([]bool, len(entries))
			for i, e := range entries {
				out[i] = e.EntityID == "2"
			}
			return out, nil
		}
		svc := &auditlog.Service{DB: db, Readers: auditlog.Readers{"department": auditlog.Open, "secret": secret}}
		list, _, err := svc.List(ctx, auditorOf(orgID), auditlog.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"1": true, "2": true, "3": false, "4": false} // by entity id: shown
		for _, e := range list {
			if shown := !e.Withheld && e.After != "" && e.Before != ""; shown != want[e.EntityID] {
				t.Errorf("%s %s: shown %v, want %v (%+v)", e.Entity, e.EntityID, shown, want[e.EntityID], e)
			}
			if e.Withheld && (e.Before != "" || e.After != "" || e.Actor != "tanaka" || e.Action == "" || e.At.IsZero() || e.Hash == "") {
				t.Errorf("withheld entry %+v", e)
			}
		}
		history, err := svc.History(ctx, auditorOf(orgID), "secret", strconv.Itoa(4), 10)
		if err != nil || len(history) != 1 || !history[0].Withheld {
			t.Fatalf("a record's history is not screened: %+v %v", history, err)
		}
		all, _, err := svc.List(ctx, access.System(orgID, "system"), auditlog.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			if e.Withheld {
				t.Errorf("the program itself is withheld %s", e.Entity)
			}
		}
		if r := verify(t, db, orgID); !r.OK() {
			t.Fatalf("chain: %+v", r)
		}
	})
}
