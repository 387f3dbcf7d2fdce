package request_test

import (
	"bytes"
	"context"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestTakeOutAndReturn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		sm := e.Holder("security_manager@org")
		in := request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{
			"destination": "県庁", "out_date": "2026-04-02", "return_date": "2026-04-03"}}
		r, err := e.S.Requests.Submit(ctx, e.clerk, in)
		if err != nil || r.DueOn != "2026-04-03" {
			t.Fatalf("%+v %v", r.DueOn, err)
		}
		_, err = e.S.Requests.RecordTakeOut(ctx, e.clerk, r.ID, request.TakeOut{On: "2026-04-01"})
		mustCode(t, err, apperr.Invalid, "state")
		if r, err = e.S.Requests.Decide(ctx, sm, r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		_, err = e.S.Requests.RecordTakeOut(ctx, e.clerk, r.ID, request.TakeOut{On: "2026-04-01", DueOn: "2026-03-31"})
		mustCode(t, err, apperr.Invalid, "due_on")
		_, err = e.S.Requests.RecordTakeOut(ctx, e.clerkB, r.ID, request.TakeOut{On: "2026-04-01"})
		mustCode(t, err, apperr.NotFound, "")
		if r, err = e.S.Requests.RecordTakeOut(ctx, e.clerk, r.ID, request.TakeOut{On: "2026-04-01"}); err != nil || r.State != request.TakenOut {
			t.Fatalf("%v %v", r.State, err)
		}
		if a, _ := e.S.Assets.Get(ctx, e.Admin, pc); a.State != "taken_out" {
			t.Fatalf("asset state %s", a.State)
		}
		if list, _ := e.S.Requests.Overdue(ctx, sm); len(list) != 0 {
			t.Fatalf("overdue before the due date: %d", len(list))
		}
		e.Clock.T = e.Clock.T.AddDate(0, 0, 3) // 2026-04-04
		if list, err := e.S.Requests.Overdue(ctx, e.clerk); err != nil || len(list) != 1 || list[0].ID != r.ID {
			t.Fatalf("the applicant's overdue list: %d %v", len(list), err)
		}
		if list, _ := e.S.Requests.Overdue(ctx, sm); len(list) != 1 {
			t.Fatalf("the security manager's overdue list: %d", len(list))
		}
		if list, _ := e.S.Requests.Overdue(ctx, e.clerkB); len(list) != 0 {
			t.Fatalf("another department's clerk sees %d overdue", len(list))
		}
		_, err = e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-03-31"})
		mustCode(t, err, apperr.Invalid, "returned_on")
		if a, _ := e.S.Assets.Get(ctx, e.Admin, pc); a.State != "taken_out" {
			t.Fatal("a refused return changed the asset")
		}
		if r, err = e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-04-04"}); err != nil || r.State != request.Returned {
			t.Fatalf("%v %v", r.State, err)
		}
		if a, _ := e.S.Assets.Get(ctx, e.Admin, pc); a.State != "in_use" {
			t.Fatalf("asset state after return %s", a.State)
		}
		if list, _ := e.S.Requests.Overdue(ctx, sm); len(list) != 0 {
			t.Fatal("a returned request is overdue")
		}
		for _, a := range []string{"request.take_out", "request.return"} {
			if e.AuditCount(a) != 1 {
				t.Fatalf("audit %s: %d", a, e.AuditCount(a))
			}
		}
		if e.AuditCount("asset.state") != 2 {
			t.Fatalf("asset.state entries %d", e.AuditCount("asset.state"))
		}
		e.VerifyAudit()
	})
}

func TestDisposal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		in := request.Input{Kind: "dispose", AssetIDs: []int64{pc}, Fields: map[string]any{
			"processed_at": "2026-04-01T10:00", "operator": e.clerk.StaffID, "method": "物理破壊"}}
		r, err := e.S.Requests.Submit(ctx, e.clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		if r, err = e.S.Requests.Decide(ctx, e.Holder("system_admin@s:SYS1"), r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		_, err = e.S.Requests.RecordDisposal(ctx, e.clerk, r.ID, request.Disposal{On: "2026-04-01"}, 0)
		mustCode(t, err, apperr.Invalid, "method")
		r, err = e.S.Requests.RecordDisposal(ctx, e.clerk, r.ID, request.Disposal{On: "2026-04-01", Method: "破砕機で物理的に破壊"}, 0)
		if err != nil || r.State != request.Disposed || r.Disposal.OperatorStaffID != e.clerk.StaffID {
			t.Fatalf("%+v %v", r.Disposal, err)
		}
		a, _ := e.S.Assets.Get(ctx, e.Admin, pc)
		if a.State != "disposed" || a.DisposedOn != "2026-04-01" {
			t.Fatalf("asset %s %s", a.State, a.DisposedOn)
		}
		_, err = e.S.Requests.Submit(ctx, e.clerk, sendInput(pc))
		mustCode(t, err, apperr.Invalid, "asset_ids")
		e.VerifyAudit()
	})
}

// TestBadInput: each bad input is refused with an error naming the field, and nothing is
// written.
func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		low := e.asset("terminal", map[string]string{"importance": "IV"}, "").ID
		plan := func(name, ctype string, body []byte) request.Input {
			return request.Input{Kind: "audit_plan", Fields: map[string]any{"auditor": "監査法人"},
				Attachments: []request.NewAttachment{{Field: "plan", Name: name, ContentType: ctype, Body: body}}}
		}
		for _, c := range []struct {
			name  string
			in    request.Input
			field string
		}{
			{"unknown kind", request.Input{Kind: "nothing"}, "kind"},
			{"missing required field", request.Input{Kind: "send", AssetIDs: []int64{pc}}, "fields.destination"},
			{"unknown field", request.Input{Kind: "send", AssetIDs: []int64{pc}, Fields: map[string]any{"destination": "x", "colour": "red"}}, "fields.colour"},
			{"enum value not offered", request.Input{Kind: "private_pc", Fields: map[string]any{"device": "x", "importance": "I"}}, "fields.importance"},
			{"bad date", request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{"destination": "x", "out_date": "4月1日", "return_date": "2026-04-03"}}, "fields.out_date"},
			{"due date in the past", request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{"destination": "x", "out_date": "2026-04-01", "return_date": "2026-03-01"}}, "fields.return_date"},
			{"subject the kind does not cover", sendInput(low), "asset_ids"},
			{"no subject", request.Input{Kind: "send", Fields: map[string]any{"destination": "x"}}, "asset_ids"},
			{"subject for a kind without one", request.Input{Kind: "offsite_processing", AssetIDs: []int64{pc}}, "asset_ids"},
			{"unconfirmed check", request.Input{Kind: "external_network", AssetIDs: []int64{pc}, Fields: map[string]any{"external_network": "x", "survey": "y", "no_impact": false}}, "fields.no_impact"},
			{"missing file", request.Input{Kind: "audit_plan", Fields: map[string]any{"auditor": "監査法人"}}, "fields.plan"},
			{"attachment over the limit", plan("plan.pdf", "application/pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("a"), request.MaxAttachmentSize)...)), "attachments[0]"},
			{"executable", plan("plan.exe", "application/octet-stream", []byte("MZ\x90\x00")), "attachments[0]"},
			{"program named as a PDF", plan("plan.pdf", "application/pdf", []byte("MZ\x90\x00\x03")), "attachments[0]"},
			{"script", plan("run.sh", "text/plain", []byte("#!/bin/sh\nrm -rf /\n")), "attachments[0]"},
			{"HTML named as text", plan("plan.txt", "text/plain", []byte("<html><script>alert(1)</script></html>")), "attachments[0]"},
			{"SVG", plan("plan.svg", "image/svg+xml", []byte("<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>")), "attachments[0]"},
			{"text declared as a PDF", plan("plan.pdf", "application/pdf", []byte("just text")), "attachments[0]"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.S.Requests.Submit(ctx, e.clerk, c.in)
				mustCode(t, err, apperr.Invalid, c.field)
			})
		}
		if list, total, _ := e.S.Requests.List(ctx, e.Admin, request.Filter{}); total != 0 || len(list) != 0 {
			t.Fatalf("refused requests were written: %d", total)
		}
		if e.AuditCount("request.submit") != 0 {
			t.Fatal("refused requests were audited")
		}
		r, err := e.S.Requests.Submit(ctx, e.clerk, plan("監査実施計画.pdf", "application/pdf", samplePDF))
		if err != nil || len(r.Attachments) != 1 || r.Attachments[0].SHA256 == "" || r.Attachments[0].Size != int64(len(samplePDF)) {
			t.Fatalf("%+v %v", r.Attachments, err)
		}
		_, body, err := e.S.Requests.AttachmentBody(ctx, e.clerk, r.ID, r.Attachments[0].ID)
		if err != nil || !bytes.Equal(body, samplePDF) {
			t.Fatalf("attachment body: %v", err)
		}
		if _, _, err := e.S.Requests.AttachmentBody(ctx, e.clerkB, r.ID, r.Attachments[0].ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another department's clerk reads the attachment: %v", err)
		}
		if kinds, _ := e.S.Requests.Kinds(ctx, e.Admin); len(kinds) != 0 {
			t.Fatal("the system files requests")
		}
		if list, total, _ := e.S.Requests.List(ctx, e.clerkB, request.Filter{}); total != 0 || len(list) != 0 {
			t.Fatal("another department's clerk lists the request")
		}
		if list, total, _ := e.S.Requests.List(ctx, e.clerk, request.Filter{Mine: true}); total != 1 || len(list) != 1 {
			t.Fatal("the applicant does not list their request")
		}
	})
}
