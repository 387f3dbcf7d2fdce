package web

import (
	"net/http"
	"testing"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAuditPageShowsTampering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		r := b.get("/audit")
		expect(t, r, http.StatusOK, "改ざんなし", "最終の全件検証", "<td>ログイン</td>", "<option value=\"user\" >利用者</option>")
		lacks(t, r, ">auth.login<", "その後に追加された")
		expect(t, b.post("/audit/verify", nil), http.StatusSeeOther, "/audit")
		expect(t, b.get("/audit"), http.StatusOK, "全件の検証が完了しました")
		if _, err := db.SQL.Exec(`UPDATE audit_entries SET actor = 'someone' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		expect(t, b.post("/audit/verify", nil), http.StatusSeeOther, "/audit")
		expect(t, b.get("/audit"), http.StatusOK, "改ざんを検知", "第2項目以降")
	})
}

// TestSinceFull: the banner speaks of entries added after the last full verification only when
// the check started after it; a check from the first entry is the whole chain, which the
// total already says.
func TestSinceFull(t *testing.T) {
	tests := []struct {
		name         string
		last         *auditlog.Verification
		head, report int64
		want         int64
	}{
		{"no verification yet: the whole chain was checked", nil, 625, 625, 0},
		{"a verification of the empty chain: the whole chain was checked", &auditlog.Verification{HeadSeq: 0}, 625, 625, 0},
		{"just verified in full: nothing was added since", &auditlog.Verification{HeadSeq: 625, Entries: 625}, 625, 0, 0},
		{"entries added since were checked now", &auditlog.Verification{HeadSeq: 600, Entries: 600}, 625, 25, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := auditlog.Status{LastFull: tt.last, Report: auditlog.Report{HeadSeq: tt.head, Entries: tt.report}}
			if got := sinceFull(st); got != tt.want {
				t.Errorf("sinceFull = %d, want %d", got, tt.want)
			}
		})
	}
}
