package request_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// takeOut files, approves and takes out 上毛町's take_out of the asset, out on 2026-04-01.
func takeOut(t *testing.T, e *env, id int64) request.Request {
	t.Helper()
	ctx := context.Background()
	r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "take_out", AssetIDs: []int64{id}, Fields: map[string]any{
		"destination": "県庁", "out_date": "2026-04-01", "return_date": "2026-04-03"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = e.S.Requests.Decide(ctx, e.Holder("security_manager@org"), r.ID, request.Decision{Decision: request.Approve}); err != nil {
		t.Fatal(err)
	}
	if r, err = e.S.Requests.RecordTakeOut(ctx, e.clerk, r.ID, request.TakeOut{On: "2026-04-01"}); err != nil {
		t.Fatal(err)
	}
	return r
}

// logEntries lists 上毛町's 端末等の持ち出し及び持ち込みの記録 as the security manager reads it.
func logEntries(t *testing.T, e *env) []logbook.Entry {
	t.Helper()
	list, _, err := e.S.Logbooks.List(context.Background(), e.Holder("security_manager@org"), logbook.Filter{Logbook: "take_out_bring_in", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestTakeOutAndReturnWriteTheTakeOutLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		t.Run("the return date cannot precede the take-out date", func(t *testing.T) {
			_, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{
				"destination": "県庁", "out_date": "2026-04-05", "return_date": "2026-04-03"}})
			mustCode(t, err, apperr.Invalid, "fields.return_date")
			f := apperr.As(err).Fields[0]
			for lang, want := range map[i18n.Lang][]string{i18n.Ja: {"返却予定日", "持ち出し日"}, i18n.En: {"返却予定日", "持ち出し日", "before"}} {
				msg := i18n.T(lang, f.Key, f.Args...)
				for _, w := range want {
					if !strings.Contains(msg, w) {
						t.Errorf("%s message %q does not name %q", lang, msg, w)
					}
				}
			}
		})
		r := takeOut(t, e, pc)
		list := logEntries(t, e)
		if len(list) != 1 || list[0].Fields["direction"] != "持ち出し" || fmt.Sprint(list[0].Fields["item"]) != fmt.Sprint(pc) ||
			fmt.Sprint(list[0].Fields["person"]) != fmt.Sprint(e.clerk.StaffID) {
			t.Fatalf("after the take-out the log holds %+v", list)
		}
		t.Run("an asset that is out is offered to no other take-out", func(t *testing.T) {
			_, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{
				"destination": "県庁", "out_date": "2026-04-02", "return_date": "2026-04-03"}})
			mustCode(t, err, apperr.Invalid, "asset_ids")
		})
		if _, err := e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-04-01"}); err != nil {
			t.Fatal(err)
		}
		list = logEntries(t, e)
		if len(list) != 2 || (list[0].Fields["direction"] != "持ち込み" && list[1].Fields["direction"] != "持ち込み") {
			t.Fatalf("after the return the log holds %+v", list)
		}
		if n := e.AuditCount("logbook.create"); n != 2 {
			t.Fatalf("logbook.create audit entries: %d", n)
		}
		e.VerifyAudit()
	})
}

// A take-out of an asset another request took out in the meantime is refused, and nothing of it
// is written: neither the request's state nor a logbook entry.
func TestTakeOutOfAnAssetAlreadyOutChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		in := request.Input{Kind: "take_out", AssetIDs: []int64{pc}, Fields: map[string]any{
			"destination": "県庁", "out_date": "2026-04-01", "return_date": "2026-04-03"}}
		second, err := e.S.Requests.Submit(ctx, e.clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = e.S.Requests.Decide(ctx, e.Holder("security_manager@org"), second.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		takeOut(t, e, pc)
		_, err = e.S.Requests.RecordTakeOut(ctx, e.clerk, second.ID, request.TakeOut{On: "2026-04-01"})
		mustCode(t, err, apperr.Invalid, "asset_ids")
		if r, _ := e.S.Requests.Get(ctx, e.clerk, second.ID); r.State != request.Approved {
			t.Fatalf("the refused take-out left the request %s", r.State)
		}
		if n := len(logEntries(t, e)); n != 1 {
			t.Fatalf("the refused take-out wrote the log: %d entries", n)
		}
	})
}

// kogeSecondPerson is 上毛町's pack with returns confirmed by a second person.
const kogeSecondPerson = `id: koge-return-check
name: 上毛町（返却確認）
organization: テスト町
kind: municipality
version: "1"
extends: koge
approvals:
  - id: take_out
    name: 端末、電磁的記録媒体、情報資産及びソフトウェアの外部への持ち出し
    subject: asset
    steps:
      - {role: security_manager, of: organization}
    fields:
      - {id: destination, name: 持ち出し先, type: text, required: true}
      - {id: out_date, name: 持ち出し日, type: date, required: true}
      - {id: return_date, name: 返却予定日, type: date, required: true}
    returnable: true
    due_field: return_date
    out_field: out_date
    effect: take_out
    take_out_log: {logbook: take_out_bring_in, asset: item, at: at, staff: person, act: direction, take_out: 持ち出し, return: 持ち込み, cite: {article: "第2章 5(1)①オ"}}
    return_confirmation: {cite: {article: "運用規程", origin: added, reason: 団体の運用上の設定}}
    cite: {article: "第2章 5(1)①ウ(イ)"}
`

func TestReturnConfirmedByASecondPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, pc := koge(t, db)
		if _, err := e.S.Policy.Load(ctx, e.Admin, "own.yaml", []byte(kogeSecondPerson)); err != nil {
			t.Fatal(err)
		}
		sm := e.Holder("security_manager@org")
		r := takeOut(t, e, pc)
		r, err := e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-04-01"})
		if err != nil || r.State != request.TakenOut || r.ReturnedOn != "2026-04-01" {
			t.Fatalf("a return awaiting confirmation: %s %q %v", r.State, r.ReturnedOn, err)
		}
		if a, _ := e.S.Assets.Get(ctx, e.Admin, pc); a.State != "taken_out" {
			t.Fatalf("before the confirmation the asset is %s", a.State)
		}
		if n := len(logEntries(t, e)); n != 1 {
			t.Fatalf("an unconfirmed return was logged: %d entries", n)
		}
		_, err = e.S.Requests.RecordReturn(ctx, e.clerk, r.ID, request.Return{On: "2026-04-01"})
		mustCode(t, err, apperr.Invalid, "state")
		if acts, _ := e.S.Requests.ActionsFor(ctx, e.clerk, mustGet(t, e, r.ID)); acts.ConfirmReturn || acts.Return {
			t.Fatalf("the returner is offered %+v", acts)
		}
		_, err = e.S.Requests.ConfirmReturn(ctx, e.clerk, r.ID, 0)
		mustCode(t, err, apperr.Forbidden, "")
		if acts, _ := e.S.Requests.ActionsFor(ctx, sm, mustGet(t, e, r.ID)); !acts.ConfirmReturn {
			t.Fatalf("the security manager is not offered the confirmation: %+v", acts)
		}
		if r, err = e.S.Requests.ConfirmReturn(ctx, sm, r.ID, r.Version); err != nil || r.State != request.Returned {
			t.Fatalf("confirmed: %s %v", r.State, err)
		}
		if a, _ := e.S.Assets.Get(ctx, e.Admin, pc); a.State != "in_use" {
			t.Fatalf("after the confirmation the asset is %s", a.State)
		}
		list := logEntries(t, e)
		if len(list) != 2 {
			t.Fatalf("after the confirmation the log holds %d entries", len(list))
		}
		_, err = e.S.Requests.ConfirmReturn(ctx, sm, r.ID, 0)
		mustCode(t, err, apperr.Invalid, "state")
		if e.AuditCount("request.confirm_return") != 1 {
			t.Fatal("no audit entry of the confirmation")
		}
		e.VerifyAudit()
	})
}

func mustGet(t *testing.T, e *env, id int64) request.Request {
	t.Helper()
	r, err := e.S.Requests.Get(context.Background(), e.Admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
