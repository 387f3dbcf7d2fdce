package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/notify"
	"mamori/internal/store/storetest"
)

// The scheduler knows every background job serve ran in its own loop before, at the same
// interval, in the order they ran: exceptions end before the sweep counts what is open.
func TestSchedulerJobs(t *testing.T) {
	db := storetest.SQLite(t)
	s := app.New(db, cheap, clock)
	sch := s.Scheduler(app.Background{Mailer: notify.NewMailer(db, notify.SMTP{}), Anchor: &auditlog.Anchor{}})
	var got []string
	for _, j := range sch.Jobs {
		got = append(got, fmt.Sprintf("%s/%s/%v", j.Name, j.Every, j.AtStop))
	}
	want := []string{"request.remind/1h0m0s/false", "incident.remind/1h0m0s/false", "transfer.apply/10m0s/false", "task.generate/1h0m0s/false",
		"task.remind/1h0m0s/false", "training.assign/1h0m0s/false", "compliance.expire/10m0s/false",
		"compliance.sweep/10m0s/false", "system_account.sweep/1h0m0s/false", "mail.send/10s/false", "audit.checkpoint/1h0m0s/true"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("jobs\n got %v\nwant %v", got, want)
	}
	if plain := s.Scheduler(app.Background{}); len(plain.Jobs) != 9 {
		t.Fatalf("without mail and checkpoints: %d jobs", len(plain.Jobs))
	}
	if sch.Now().Equal(time.Time{}) || !sch.Now().Equal(now) {
		t.Fatalf("the scheduler's clock is not the services' clock")
	}
}
