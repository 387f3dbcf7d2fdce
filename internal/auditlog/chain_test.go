package auditlog_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()

		t.Run("append links entries 1..n and verifies", func(t *testing.T) {
			orgID := newOrg(t, db, "chain")
			appended := appendN(t, db, orgID, 5)
			svc := &auditlog.Service{DB: db}
			listed, total, err := svc.List(ctx, access.System(orgID, "system"), auditlog.Filter{})
			if err != nil || total != 5 || len(listed) != 5 {
				t.Fatalf("list = %d entries, total %d, %v; want 5", len(listed), total, err)
			}
			prev := auditlog.Genesis
			for i := range 5 {
				e := listed[4-i] // the listing is newest first
				if e.Seq != int64(i+1) {
					t.Errorf("entry %d has seq %d", i, e.Seq)
				}
				if e.PrevHash != prev {
					t.Errorf("seq %d prev_hash = %.12s, want %.12s", e.Seq, e.PrevHash, prev)
				}
				if got := e.ComputeHash(); got != e.Hash || len(e.Hash) != 64 {
					t.Errorf("seq %d stored hash %.12s, recomputed %.12s", e.Seq, e.Hash, got)
				}
				a := appended[i]
				if a.Hash != e.Hash || a.ID != e.ID || !a.At.Equal(e.At) || a.After != e.After {
					t.Errorf("seq %d as appended %+v\nas stored %+v", e.Seq, a, e)
				}
				prev = e.Hash
			}
			if e := listed[0]; e.Actor != "tanaka" || e.ActorUserID != 7 || e.RemoteAddr != "192.0.2.10" ||
				e.EntityID != "105" || e.Before != `{"version":4}` || !strings.Contains(e.After, "情報資産台帳") {
				t.Errorf("newest entry = %+v", e)
			}
			if us := listed[0].At.Nanosecond() % 1000; us != 0 {
				t.Errorf("at keeps sub-microsecond digits: %v", listed[0].At)
			}
			r := verify(t, db, orgID)
			if !r.OK() || r.Entries != 5 || r.HeadSeq != 5 || r.HeadHash != appended[4].Hash {
				t.Fatalf("report = %+v (problem %+v)", r, r.Problem)
			}
		})

		t.Run("an empty chain verifies", func(t *testing.T) {
			r := verify(t, db, newOrg(t, db, "empty"))
			if !r.OK() || r.Entries != 0 || r.HeadSeq != 0 || r.HeadHash != auditlog.Genesis {
				t.Fatalf("report = %+v", r)
			}
		})

		t.Run("system actor is recorded as system", func(t *testing.T) {
			orgID := newOrg(t, db, "sys")
			e := appendOne(t, db, access.Actor{OrgID: orgID}, t0, auditlog.Event{Entity: "organization", EntityID: orgID, Action: "organization.create"})
			if e.Actor != "system" || e.ActorUserID != 0 {
				t.Fatalf("entry = %+v", e)
			}
			if r := verify(t, db, orgID); !r.OK() {
				t.Fatalf("problem %+v", r.Problem)
			}
		})

		t.Run("append without a chain head fails", func(t *testing.T) {
			var orgID int64
			if err := db.SQL.QueryRowContext(ctx, `INSERT INTO organizations (code, name, created_at) VALUES ('headless', 'x', $1) RETURNING id`,
				t0.UTC()).Scan(&orgID); err != nil {
				t.Fatal(err)
			}
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				_, err := auditlog.Append(ctx, tx, clerk(orgID), t0, auditlog.Event{Entity: "x", Action: "x"})
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "no head") {
				t.Fatalf("err = %v, want a missing head", err)
			}
		})

		t.Run("a long user agent is cut to 512 bytes of valid text", func(t *testing.T) {
			orgID := newOrg(t, db, "ua")
			who := clerk(orgID)
			who.UserAgent = strings.Repeat("あ", 300) // 900 bytes; 512 falls inside a character
			e := appendOne(t, db, who, t0, auditlog.Event{Entity: "x", Action: "x"})
			if len(e.UserAgent) > 512 || !strings.HasPrefix(who.UserAgent, e.UserAgent) || len(e.UserAgent) < 500 {
				t.Fatalf("user agent is %d bytes: %q…", len(e.UserAgent), e.UserAgent[len(e.UserAgent)-9:])
			}
			if r := verify(t, db, orgID); !r.OK() {
				t.Fatalf("problem %+v", r.Problem)
			}
		})

		t.Run("a user agent that is not UTF-8 is still recorded", func(t *testing.T) {
			// Go's HTTP server passes header bytes through; old phones send Shift_JIS.
			orgID := newOrg(t, db, "sjis")
			who := clerk(orgID)
			who.UserAgent = "DoCoMo/2.0 \x83e\x83X\x83g"
			e := appendOne(t, db, who, t0, auditlog.Event{Entity: "x", Action: "x"})
			if !strings.HasPrefix(e.UserAgent, "DoCoMo/2.0 ") {
				t.Fatalf("user agent = %q", e.UserAgent)
			}
			if r := verify(t, db, orgID); !r.OK() {
				t.Fatalf("problem %+v", r.Problem)
			}
		})
	})
}

func TestOrganisationsHaveIndependentChains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b := newOrg(t, db, "a"), newOrg(t, db, "b")
		for i := range 3 {
			appendOne(t, db, clerk(a), t0, auditlog.Event{Entity: "x", EntityID: i, Action: "x.a"})
			appendOne(t, db, clerk(b), t0, auditlog.Event{Entity: "x", EntityID: i, Action: "x.b"})
			appendOne(t, db, clerk(b), t0, auditlog.Event{Entity: "x", EntityID: i, Action: "x.b"})
		}
		ra, rb := verify(t, db, a), verify(t, db, b)
		if !ra.OK() || ra.Entries != 3 || ra.HeadSeq != 3 {
			t.Errorf("org a: %+v", ra)
		}
		if !rb.OK() || rb.Entries != 6 || rb.HeadSeq != 6 {
			t.Errorf("org b: %+v", rb)
		}
		all, err := auditlog.VerifyAll(context.Background(), db.SQL)
		if err != nil || len(all) != 2 || all[0].OrgID != a || all[1].OrgID != b {
			t.Fatalf("verify all = %+v, %v", all, err)
		}

		t.Run("tampering with one leaves the other intact", func(t *testing.T) {
			exec(t, db, `UPDATE audit_entries SET action = 'x.forged' WHERE org_id = $1 AND seq = 2`, a)
			if r := verify(t, db, a); r.OK() {
				t.Error("tampered chain verified")
			}
			if r := verify(t, db, b); !r.OK() {
				t.Errorf("untouched chain: %+v", r.Problem)
			}
		})

		t.Run("the service reads only the actor's organisation", func(t *testing.T) {
			svc := &auditlog.Service{DB: db}
			entries, total, err := svc.List(context.Background(), access.System(b, "system"), auditlog.Filter{})
			if err != nil || total != 6 {
				t.Fatalf("total = %d, %v", total, err)
			}
			for _, e := range entries {
				if e.OrgID != b {
					t.Errorf("entry of organisation %d listed for %d", e.OrgID, b)
				}
			}
		})
	})
}
