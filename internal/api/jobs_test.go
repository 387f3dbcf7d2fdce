package api

import (
	"context"
	"net/http"
	"testing"

	"mamori/internal/app"
	"mamori/internal/schedule"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// The platform administrators read the runs of the background jobs, errors included; nobody
// else does.
func TestJobRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.svcs.Scheduler(app.Background{}).RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		l := decodeAs[list[schedule.Run]](t, f.do("GET", "/api/v1/jobs", f.admin, nil), http.StatusOK)
		if l.Total != 9 {
			t.Fatalf("runs %+v", l)
		}
		for _, r := range l.Items {
			if r.Outcome != schedule.OK || r.FinishedAt.IsZero() {
				t.Errorf("run %+v", r)
			}
		}
		one := decodeAs[list[schedule.Run]](t, f.do("GET", "/api/v1/jobs?job=compliance.expire", f.admin, nil), http.StatusOK)
		if one.Total != 1 || one.Items[0].Job != "compliance.expire" {
			t.Fatalf("runs of one job %+v", one)
		}
		clerk := f.tokenFor("clerk", "ja", false)
		apiError(t, f.do("GET", "/api/v1/jobs", clerk, nil), http.StatusForbidden, "forbidden")
	})
}
