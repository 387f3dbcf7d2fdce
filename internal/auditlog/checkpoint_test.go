package auditlog_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestStatusChecksFromTheLastFullVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := newOrg(t, db, "c")
		s := &auditlog.Service{DB: db}
		auditor := access.Actor{OrgID: org, UserID: 1, Login: "kansa", Roles: []access.Grant{{RoleID: "auditor", Auditor: true}}}
		appendN(t, db, org, 5)

		t.Run("the first look walks the whole chain and records it", func(t *testing.T) {
			st, err := s.Status(ctx, auditor)
			if err != nil || !st.OK() || st.Report.Entries != 5 || st.Total != 5 {
				t.Fatalf("status = %+v, %v", st, err)
			}
			if st.LastFull == nil || st.LastFull.HeadSeq != 5 || st.LastFull.By != "kansa" {
				t.Fatalf("recorded = %+v", st.LastFull)
			}
		})
		t.Run("later looks check only what was added since", func(t *testing.T) {
			appendN(t, db, org, 3)
			st, err := s.Status(ctx, auditor)
			if err != nil || !st.OK() || st.Report.Entries != 3 || st.Total != 8 || st.LastFull.HeadSeq != 5 {
				t.Fatalf("status = %+v, %v", st, err)
			}
		})
		t.Run("tampering after the last full verification is found at once", func(t *testing.T) {
			db.SQL.Exec(`UPDATE audit_entries SET actor = 'x' WHERE org_id = $1 AND seq = 7`, org)
			st, err := s.Status(ctx, auditor)
			if err != nil || st.OK() || st.Report.Problem.Seq != 7 {
				t.Fatalf("status = %+v, %v", st.Report, err)
			}
			db.SQL.Exec(`UPDATE audit_entries SET actor = 'tanaka' WHERE org_id = $1 AND seq = 7`, org)
		})
		t.Run("changing the entry the last verification ended on forces a full walk", func(t *testing.T) {
			db.SQL.Exec(`UPDATE audit_entries SET after_json = '{}' WHERE org_id = $1 AND seq = 5`, org)
			st, err := s.Status(ctx, auditor)
			if err != nil || st.OK() || st.Report.Problem.Seq != 5 {
				t.Fatalf("status = %+v, %v", st.Report, err)
			}
			if st.LastFull == nil || st.LastFull.OK || st.LastFull.ProblemSeq != 5 {
				t.Fatalf("the failed full verification was not recorded: %+v", st.LastFull)
			}
		})
		t.Run("older tampering is found by a full verification, which every look then repeats", func(t *testing.T) {
			org2 := newOrg(t, db, "c2")
			a2 := auditor
			a2.OrgID = org2
			appendN(t, db, org2, 6)
			if st, _ := s.FullVerify(ctx, a2); !st.OK() {
				t.Fatal("fresh chain did not verify")
			}
			db.SQL.Exec(`UPDATE audit_entries SET actor = 'x' WHERE org_id = $1 AND seq = 2`, org2)
			st, err := s.FullVerify(ctx, a2)
			if err != nil || st.OK() || st.Report.Problem.Seq != 2 {
				t.Fatalf("full verification = %+v, %v", st.Report, err)
			}
			if st, _ := s.Status(ctx, a2); st.OK() {
				t.Fatal("after a failed full verification the page showed the chain intact")
			}
		})
		t.Run("only those who may read the log may verify it", func(t *testing.T) {
			clerk := access.Actor{OrgID: org, UserID: 2, Login: "ippan"}
			if _, err := s.Status(ctx, clerk); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("status for a clerk: %v", err)
			}
			if _, err := s.FullVerify(ctx, clerk); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("full verification for a clerk: %v", err)
			}
		})
	})
}
