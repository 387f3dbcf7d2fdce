package inspection_test

import (
	"testing"

	"mamori/internal/inspection"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestScoresRankDepartmentsByWhatTheyLeaveUndone checks the self-inspection scores the audit
// suggestion reads: a department that answered 未実施 ranks above one that did everything, the
// year before stands in for a year without a campaign, and the audit service is given them.
func TestScoresRankDepartmentsByWhatTheyLeaveUndone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.start(2026, "2026-05-31")
		for dept, first := range map[int64]string{e.DeptA: inspection.NotDone, e.DeptB: inspection.Done} {
			who := e.managerA
			if dept == e.DeptB {
				who = e.managerB
			}
			sh := e.sheetOf(c, dept)
			e.answerAll(who, c, sh, first)
			if _, err := e.S.Inspections.Submit(e.ctx, who, c.ID, sh.ID); err != nil {
				t.Fatal(err)
			}
		}
		for _, year := range []int{2026, 2027} {
			sc, err := e.S.Inspections.Scores(e.ctx, e.Org, year)
			if err != nil {
				t.Fatal(err)
			}
			if !(sc[e.DeptA] > 0) || sc[e.DeptB] != 0 {
				t.Fatalf("year %d: scores = %v; want A above zero and B zero", year, sc)
			}
		}
		sc, err := e.S.Inspections.Scores(e.ctx, e.Org, 2028)
		if err != nil || len(sc) != 0 {
			t.Fatalf("two years on: %v, %v; want none", sc, err)
		}
		if e.S.Audits.Scores == nil {
			t.Fatal("the audit suggestion does not read the self-inspection scores")
		}
	})
}
