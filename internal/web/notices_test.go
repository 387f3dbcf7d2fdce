package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var noticeLinkRe = regexp.MustCompile(`href="/notices/(\d+)"`)

func TestNoticesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		manager := f.signInStaff(t, "kishi", f.manager.ID)
		clerk := f.signInStaff(t, "madoguchi", f.clerk.ID)
		send := func(subject string, staff ...int64) {
			t.Helper()
			// A notice that names no record (no Ref), so that what it says is shown as written:
			// this is about the page, not about a record's rule (notify/readers.go).
			n := notify.Notice{OrgID: f.sys.OrgID, Staff: staff, Kind: notify.RequestWaiting,
				Subject: notify.Text{Ja: subject}, Body: notify.Text{Ja: "承認をお願いします。"}, Link: "/requests/12", At: f.now}
			if err := db.InTx(context.Background(), func(tx *sql.Tx) error { return notify.Notify(context.Background(), tx, n) }); err != nil {
				t.Fatal(err)
			}
		}
		send("持ち出し申請 第12号が承認を待っています", f.manager.ID)
		send("窓口への連絡", f.clerk.ID)
		send("課長への二件目", f.manager.ID)

		r := manager.get("/")
		expect(t, r, http.StatusOK, `href="/notices"`, "未読のお知らせ 2件")
		r = manager.get("/notices")
		expect(t, r, http.StatusOK, "持ち出し申請 第12号が承認を待っています", "課長への二件目", "すべて既読にする")
		lacks(t, r, "窓口への連絡", "メール送信の状況")
		if strings.Index(r.body, "課長への二件目") > strings.Index(r.body, "持ち出し申請 第12号") {
			t.Fatal("the newest notice is not first")
		}
		ids := noticeLinkRe.FindAllStringSubmatch(r.body, -1)
		if len(ids) != 2 {
			t.Fatalf("links to notices: %v", ids)
		}
		first := ids[1][1] // the older one

		t.Run("another user can neither open nor mark it", func(t *testing.T) {
			expect(t, clerk.get("/notices/"+first), http.StatusNotFound)
			expect(t, clerk.post("/notices/"+first+"/read", url.Values{}), http.StatusNotFound)
			r := clerk.get("/notices")
			expect(t, r, http.StatusOK, "窓口への連絡")
			lacks(t, r, "持ち出し申請 第12号")
			expect(t, manager.get("/"), http.StatusOK, "未読のお知らせ 2件")
		})
		t.Run("opening a notice marks it read and goes to its record", func(t *testing.T) {
			expect(t, manager.get("/notices/"+first), http.StatusSeeOther, "/requests/12")
			expect(t, manager.get("/"), http.StatusOK, "未読のお知らせ 1件")
			r := manager.get("/notices?unread=1")
			expect(t, r, http.StatusOK, "課長への二件目")
			lacks(t, r, "持ち出し申請 第12号")
		})
		t.Run("marking all read clears the header count", func(t *testing.T) {
			expect(t, manager.post("/notices/read-all", url.Values{}), http.StatusSeeOther, "/notices")
			r := manager.get("/notices")
			expect(t, r, http.StatusOK, "すべてのお知らせを既読にしました。")
			lacks(t, r, "未読のお知らせ")
			expect(t, clerk.get("/"), http.StatusOK, "未読のお知らせ 1件")
		})
		t.Run("administrators see mail that does not go out", func(t *testing.T) {
			if _, err := db.SQL.Exec(`INSERT INTO mail_outbox (org_id, notice_id, address, state, attempts, next_at, last_code, last_error, created_at)
				SELECT org_id, id, 'kacho@town.example', 'failed', 8, created_at, 'recipient-550', 'no such user', created_at FROM notices LIMIT 1`); err != nil {
				t.Fatal(err)
			}
			expect(t, f.admin.get("/notices"), http.StatusOK, "メール送信の状況", "kacho@town.example", "recipient-550", "送信中止")
			lacks(t, manager.get("/notices"), "recipient-550")
		})
	})
}
