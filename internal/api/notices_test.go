package api

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"testing"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		alice := f.tokenFor("alice", "en", false)
		bob := f.tokenFor("bob", "ja", false)
		userID := func(login string) int64 {
			u, err := f.svcs.Auth.UserByLogin(context.Background(), login)
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		for i, to := range []string{"alice", "alice", "bob"} {
			// Notices that name no record (no Ref), so that what they say is shown as written:
			// this is about the answers, not about a record's rule (notify/readers.go).
			n := notify.Notice{OrgID: f.orgID, Users: []int64{userID(to)}, Kind: notify.RequestDecided,
				Subject: notify.Text{Ja: "申請が承認されました " + strconv.Itoa(i), En: "Your request was approved " + strconv.Itoa(i)},
				Link:    "/requests/" + strconv.Itoa(i)}
			if err := db.InTx(context.Background(), func(tx *sql.Tx) error { return notify.Notify(context.Background(), tx, n) }); err != nil {
				t.Fatal(err)
			}
		}
		l := decodeAs[list[notify.Item]](t, f.do("GET", "/api/v1/notices", alice, nil), http.StatusOK)
		if l.Total != 2 || len(l.Items) != 2 || l.Items[0].Subject != "Your request was approved 1" || l.Items[0].ReadAt != nil ||
			l.Items[1].Link != "/requests/0" {
			t.Fatalf("alice's list = %+v", l)
		}
		bobs := decodeAs[list[notify.Item]](t, f.do("GET", "/api/v1/notices", bob, nil), http.StatusOK)
		if bobs.Total != 1 || bobs.Items[0].Subject != "申請が承認されました 2" {
			t.Fatalf("bob's list = %+v", bobs)
		}
		aliceFirst := "/api/v1/notices/" + strconv.FormatInt(l.Items[0].ID, 10)

		t.Run("another account cannot mark it", func(t *testing.T) {
			apiError(t, f.do("POST", aliceFirst+"/read", bob, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("POST", aliceFirst+"/read", f.admin, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("POST", "/api/v1/notices/x/read", alice, nil), http.StatusNotFound, "not_found")
			apiError(t, f.do("POST", aliceFirst+"/read", "", nil), http.StatusUnauthorized, "unauthenticated")
		})
		t.Run("the holder marks it read", func(t *testing.T) {
			it := decodeAs[notify.Item](t, f.do("POST", aliceFirst+"/read", alice, nil), http.StatusOK)
			if it.ReadAt == nil || it.ID != l.Items[0].ID {
				t.Fatalf("marked = %+v", it)
			}
			unread := decodeAs[list[notify.Item]](t, f.do("GET", "/api/v1/notices?unread=true", alice, nil), http.StatusOK)
			if unread.Total != 1 || unread.Items[0].ID != l.Items[1].ID {
				t.Fatalf("unread = %+v", unread)
			}
			apiError(t, f.do("GET", "/api/v1/notices?unread=maybe", alice, nil), http.StatusUnprocessableEntity, "invalid")
		})
		t.Run("pages", func(t *testing.T) {
			p := decodeAs[list[notify.Item]](t, f.do("GET", "/api/v1/notices?limit=1", alice, nil), http.StatusOK)
			if p.Total != 2 || len(p.Items) != 1 || p.Next == nil {
				t.Fatalf("page = %+v", p)
			}
			next := decodeAs[list[notify.Item]](t, f.do("GET", *p.Next, alice, nil), http.StatusOK)
			if len(next.Items) != 1 || next.Items[0].ID == p.Items[0].ID || next.Next != nil {
				t.Fatalf("next page = %+v", next)
			}
		})
	})
}
