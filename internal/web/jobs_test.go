package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// The administrators see the runs of the background jobs, with the error of a failed one;
// the page is not in anyone else's navigation and refuses them.
func TestJobsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		visitJobsPage(t, f.s, f.admin)
		clerk := f.signInStaff(t, "clerk", f.clerk.ID)
		if r := clerk.get("/"); strings.Contains(r.body, `href="/admin/jobs"`) {
			t.Error("the jobs page is in a clerk's navigation")
		}
		r := clerk.get("/admin/jobs")
		expect(t, r, http.StatusForbidden)
		if strings.Contains(r.body, "smtp: connection refused") {
			t.Error("a clerk was shown a job's error")
		}
	})
}

// visitJobsPage runs the due jobs once, fails one of the runs and shows the page to an
// administrator.
func visitJobsPage(t *testing.T, s *app.Services, admin *browser) {
	t.Helper()
	if _, err := s.Scheduler(app.Background{}).RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.SQL.Exec(`UPDATE job_runs SET outcome = 'failed', error = 'smtp: connection refused' WHERE job = 'request.remind'`); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/admin/jobs")
	expect(t, r, http.StatusOK, "バックグラウンド処理", "申請の督促", "遵守状況の一斉点検", "例外措置の終了", "定期業務の作成", "定期業務の督促", "失敗", "smtp: connection refused",
		`href="/admin/jobs" aria-current="page"`)
	if n := strings.Count(r.body, "compliance.sweep"); n != 1 {
		t.Errorf("%d runs of the sweep shown, want 1", n)
	}
}
