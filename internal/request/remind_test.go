package request_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestRemindOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		box := newMailbox(e)
		sm, ciso := e.Holder("security_manager@org"), e.Holder("ciso@org")
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{
			"destination": "県庁", "out_date": "2026-04-01", "return_date": "2026-04-03"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.RecordTakeOut(ctx, e.clerk, r.ID, request.TakeOut{On: "2026-04-01"}); err != nil {
			t.Fatal(err)
		}
		late, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", PostHoc: true, ActedAt: e.Clock.T.AddDate(0, 0, -3),
			Fields: exceptionFields(e)})
		if err != nil || !late.ReportedLate {
			t.Fatalf("%v %v", late.ReportedLate, err)
		}
		remind := func() []request.Reminder {
			t.Helper()
			sent, err := e.S.Requests.Remind(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return sent
		}
		sent := remind()
		if len(sent) != 1 || sent[0].RequestID != late.ID || sent[0].Kind != request.NoticePostHocLate || sent[0].Recipients != 2 {
			t.Fatalf("before the due date: %+v", sent)
		}
		box.want("the CISO", ciso, late.ID, notify.RequestWaiting, request.NoticePostHocLate)
		box.want("the applicant", e.clerk, late.ID, request.NoticePostHocLate)

		e.Clock.T = e.Clock.T.AddDate(0, 0, 3) // 2026-04-04: the return is a day late
		var wg sync.WaitGroup
		var mu sync.Mutex
		var all []request.Reminder
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sent, err := e.S.Requests.Remind(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				all = append(all, sent...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		if len(all) != 2 {
			t.Fatalf("three sweeps at once sent %+v", all)
		}
		if again := remind(); len(again) != 0 {
			t.Fatalf("a second sweep the same day sent %+v", again)
		}
		box.want("the applicant", e.clerk, r.ID, notify.RequestDecided, notify.ReturnOverdue)
		box.want("the security manager", sm, r.ID, notify.RequestWaiting, notify.ReturnOverdue)
		box.want("another clerk", e.clerkB, r.ID)

		e.Clock.T = e.Clock.T.Add(24 * time.Hour)
		if sent := remind(); len(sent) != 2 {
			t.Fatalf("the next day: %+v", sent)
		}
		box.want("the applicant the next day", e.clerk, r.ID, notify.RequestDecided, notify.ReturnOverdue, notify.ReturnOverdue)

		if _, err := e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-04-05"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, ciso, late.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		e.Clock.T = e.Clock.T.Add(24 * time.Hour)
		if sent := remind(); len(sent) != 0 {
			t.Fatalf("after the return and the decision: %+v", sent)
		}
	})
}

// exceptionFields answers the form of 上毛町's 例外措置.
func exceptionFields(e *env) map[string]any {
	f, _ := fill(e, kindOf(e, "exception"), 0)
	return f
}
